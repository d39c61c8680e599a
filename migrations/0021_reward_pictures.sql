-- The console's rewards catalog: a reward may carry a picture (an uploaded image's /files/ path
-- or an https:// URL) and one line of description for customers.
ALTER TABLE rewards ADD COLUMN image TEXT;
ALTER TABLE rewards ADD COLUMN description TEXT;
