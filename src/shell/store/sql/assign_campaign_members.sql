-- assign_campaign_members
-- Records the arms of campaign ?1's members: ?2 is a JSON array of [member, arm] pairs. A
-- member keeps the arm first recorded (assignment is deterministic anyway).
INSERT INTO campaign_members (campaign_id, member_id, arm)
SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2) WHERE 1
ON CONFLICT DO NOTHING
