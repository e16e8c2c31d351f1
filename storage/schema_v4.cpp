// Migration 4: attachments (signatures and photos) and the blobs they reference (issue D).
//  - The v1 `attachments` table was never written by any release: it is dropped and replaced.
//  - attachments: metadata, the signature (strokes as JSON text [[[x,y,tMs,pressure],...],...]),
//    coordinates as integer micro-degrees, both times (device and server receipt), origin
//    (local|remote) and the upload state.
//  - blobs: which files of the BlobStore (<replica>.blobs/ab/<sha256>) the replica references.
#include "storage/database.h"
#include "storage/schema.h"

namespace outpost::storage {

namespace {

constexpr const char *kAttachmentTables = R"SQL(
DROP INDEX IF EXISTS attachments_record;
DROP TABLE IF EXISTS attachments;

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('signature', 'photo')),
  owner_type TEXT NOT NULL CHECK (owner_type IN ('order', 'account')),
  owner_id TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size > 0),
  mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
  file_name TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  thumb_sha256 TEXT NOT NULL DEFAULT '',
  lat_e6 INTEGER,
  lon_e6 INTEGER,
  accuracy_m INTEGER,
  signer_name TEXT NOT NULL DEFAULT '',
  signer_role TEXT NOT NULL DEFAULT '',
  strokes TEXT,
  order_content_hash TEXT NOT NULL DEFAULT '',
  device_created_at TEXT NOT NULL,
  server_received_at TEXT,
  origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'remote')),
  state TEXT NOT NULL DEFAULT 'waiting'
    CHECK (state IN ('waiting', 'uploading', 'delivered', 'failed', 'remote')),
  uploaded_bytes INTEGER NOT NULL DEFAULT 0 CHECK (uploaded_bytes >= 0),
  sent_bytes INTEGER NOT NULL DEFAULT 0 CHECK (sent_bytes >= 0),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  error_code TEXT NOT NULL DEFAULT '',
  error_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, device_created_at);
CREATE INDEX attachments_queue ON attachments (state, next_attempt_at) WHERE origin = 'local';
CREATE INDEX attachments_sha ON attachments (sha256);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size >= 0),
  mime TEXT NOT NULL,
  created_at TEXT NOT NULL
);
)SQL";

} // namespace

Status migrateTo4Attachments(Database &db)
{
    return db.exec(kAttachmentTables);
}

} // namespace outpost::storage
