-- A two-letter people search matches the start of a word (issue #15): the stored search text
-- now starts with the field separator, so a field's first word is found like any other. Every
-- person's text gains it once; on SQLite the trigram index follows through its update trigger.
-- @sqlite
UPDATE people SET search_text = char(31) || search_text
WHERE substr(search_text, 1, 1) <> char(31);
-- @postgres
UPDATE people SET search_text = chr(31) || search_text
WHERE substr(search_text, 1, 1) <> chr(31);
-- @end
