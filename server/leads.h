// Kiosk leads: a showroom visitor's wish list and contact details, sent by the kiosk device as the
// command "lead.create" through POST /v1/commands (idempotent by commandId like every command) and
// listed for admins at GET /v1/admin/leads.
//   payload {"id":"<uuid>","name","company","email","phone","note",
//            "items":[{"productId","sku","quantity"}],"deviceCreatedAt"}
//   -> 201 {"outcome":"accepted","leadId":N,"items":K}
// Errors (400 unless said): lead.name_required, lead.contact_required (email or phone),
// lead.invalid_email, lead.empty (no items), lead.bad_item, lead.unknown_product (422).
#pragma once

#include "domain/result.h"
#include "server/record_merge.h"

#include <QJsonObject>

class QHttpServer;

namespace outpost::server {

struct Caller;
struct ServerContext;

// Runs inside the batch's tenant write transaction (seq).
Result<RecordAnswer> applyLeadCreate(ServerContext &ctx, const Caller &caller, const QJsonObject &payload, qint64 seq);

// GET /v1/admin/leads?limit=N (admin only): newest first.
void registerLeadRoutes(QHttpServer &http, ServerContext &ctx);

} // namespace outpost::server
