// A signature's vector strokes rendered to the PNG that is stored and sent with them. Rendering
// is deterministic (same strokes -> same pixels on every machine: no fonts, fixed size, the
// stroke width follows pressure), so tests compare against a golden image.
#pragma once

#include "domain/result.h"
#include "storage/attachment_repository.h"

#include <QImage>
#include <QSize>

namespace outpost::media {

struct SignatureRenderOptions
{
    QSize padSize{600, 200};   // the coordinate space the strokes were recorded in
    QSize outputSize{600, 200}; // PNG size (strokes scaled to fit)
    double penWidth = 3.0;     // at pressure 1000; a stroke is never thinner than a third of it
};

// "signature.empty" (no stroke with two points), "signature.too_large" (> 5,000 strokes or
// > 200,000 points), "signature.bad_point" (coordinates outside -10 000..10 000).
Result<QImage> renderSignature(const QList<storage::SignatureStroke> &strokes,
                               const SignatureRenderOptions &options = {});
Result<QByteArray> renderSignaturePng(const QList<storage::SignatureStroke> &strokes,
                                      const SignatureRenderOptions &options = {});

} // namespace outpost::media
