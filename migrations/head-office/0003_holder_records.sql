-- The holders created with their dossier (inside the creation's snapshot) become records of
-- their own, as a holder added later is, so that the head office scopes an edit of a holder
-- by the dossier it belongs to, not by the dossier the edit names.
INSERT OR IGNORE INTO record (entity, entity_id, dossier_id, platform_code, created_seq)
SELECT 'holder', holder_id, dossier_id, platform_code, server_seq
FROM (
    SELECT CASE WHEN h.type = 'object' THEN json_extract(h.value, '$.id') END AS holder_id,
           l.entity_id AS dossier_id, l.platform_code, l.server_seq
    FROM change_log l,
         json_each(CASE WHEN json_valid(l.value) THEN l.value ELSE '{}' END, '$.holders') h
    WHERE l.entity = 'dossier' AND l.op = 'create' AND l.applied = 1
      AND l.platform_code IS NOT NULL
)
WHERE typeof(holder_id) = 'text';
