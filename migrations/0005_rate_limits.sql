-- Fixed-window request counters (D1 is strongly consistent, so the counts are exact).
CREATE TABLE rate_windows (
  bucket       TEXT NOT NULL,                -- e.g. 'key:<api key id>'
  window_start INTEGER NOT NULL,             -- Unix ms, a multiple of the window length
  hits         INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
) STRICT;
