-- Head office, version 7: a platform's settings are its last logged `settings` change; this
-- index finds it at once (a status move reads its loan bounds there) instead of walking the
-- platform's whole log back.
CREATE INDEX change_log_settings ON change_log (platform_code, server_seq)
    WHERE entity = 'settings';
