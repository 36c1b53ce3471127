-- Listeners from before the client IP settings (migration 0006) sent X-Forwarded-Port and X-Forwarded-Host
-- always; 0006 made both switches with default off for new listeners. Existing HTTP/HTTPS listeners keep
-- what they sent, so an upgrade changes no backend's headers (switch them off in Modify Listener).
UPDATE "listeners" SET "x_forwarded_port" = true, "x_forwarded_host" = true WHERE "protocol" IN ('HTTP', 'HTTPS');
