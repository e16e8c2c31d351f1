// Attachments (docs/attachments.md): the announce body as the server reads it, and its checks.
// attachment_announce.cpp parses and validates; attachments_api.cpp serves the routes.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace outpost::server {

struct ServerConfig;

struct AttachmentLocation
{
    qint64 latE6 = 0;
    qint64 lonE6 = 0;
    std::optional<qint64> accuracyM;
};

struct AttachmentSignature
{
    QString signerName;
    QString signerRole;
    QJsonArray strokes; // validated [[[x,y,tMs,pressure],...],...]
    QString orderContentHash; // "" or 64 lower-case hex
};

// POST /v1/attachments, validated.
struct AttachmentAnnounce
{
    QString id;
    QString kind;      // "signature" | "photo"
    QString ownerType; // "order" | "account"
    QString ownerId;
    qint64 accountId = 0;
    QString sha256;
    qint64 size = 0;
    QString mime;
    QString fileName;
    QString caption;
    std::optional<qint64> width;
    std::optional<qint64> height;
    QString deviceCreatedAt; // normalised ISO UTC with ms, or ""
    std::optional<AttachmentLocation> location;
    std::optional<AttachmentSignature> signature;
};

// Limits of docs/attachments.md.
inline constexpr qsizetype kMaxFileNameBytes = 255;
inline constexpr qsizetype kMaxCaptionChars = 500;
inline constexpr qsizetype kMaxStrokes = 5000;
inline constexpr qsizetype kMaxStrokePoints = 200000;

// The body's structure first (request.* codes, unknown fields), then the attachment rules in the
// order of the document (attachment.bad_id ... attachment.bad_strokes). The Error's code decides
// the status (attachmentErrorStatus()).
Result<AttachmentAnnounce> parseAnnounce(const QJsonObject &body, const ServerConfig &config);

bool isAttachmentId(const QString &id);      // lower-case UUID without braces
bool isSha256Hex(const QString &text);        // 64 lower-case hex characters
bool isSafeFileName(const QString &name);     // a bare name: no path, no control characters
// HTTP status for an attachment error (413 too large, 415 bad mime, else by kind).
int attachmentErrorStatus(const Error &error);

} // namespace outpost::server
