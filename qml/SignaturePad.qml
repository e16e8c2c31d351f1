// A signature pad: draws live and records the strokes as [[x, y, tMs, pressure1000], ...] per
// stroke (pad coordinates, ms since the first point of the signature, pressure 0..1000: the
// stylus's when the device reports one, 1000 otherwise). What is drawn here is what
// Attachments.addSignature renders into the stored PNG.
import QtQuick

Rectangle {
    id: pad
    objectName: "signaturePad"
    color: "white"
    border.color: Theme.divider
    radius: Theme.radius
    implicitWidth: 600
    implicitHeight: 200

    // Every finished and the current stroke.
    property var strokes: []
    readonly property bool isEmpty: pointCount === 0
    property int pointCount: 0
    property real penWidth: 3
    property double startMs: 0
    readonly property bool drawing: area.pressed

    signal changed()

    function clear() {
        strokes = []
        pointCount = 0
        startMs = 0
        canvas.requestPaint()
        changed()
    }

    function record(x, y, newStroke) {
        const now = Date.now()
        if (pointCount === 0)
            startMs = now
        const pressure = stylus.active && stylus.point.pressure > 0
                ? Math.round(Math.min(1, stylus.point.pressure) * 1000) : 1000
        const px = Math.round(Math.max(0, Math.min(width, x)))
        const py = Math.round(Math.max(0, Math.min(height, y)))
        const list = strokes
        if (newStroke || list.length === 0)
            list.push([])
        const stroke = list[list.length - 1]
        const last = stroke.length > 0 ? stroke[stroke.length - 1] : null
        if (last && last[0] === px && last[1] === py)
            return // no movement: no new point
        const t = Math.max(last ? last[2] : 0, Math.round(now - startMs))
        stroke.push([px, py, t, pressure])
        strokes = list
        pointCount = pointCount + 1
        canvas.requestPaint()
        changed()
    }

    Text {
        anchors.centerIn: parent
        visible: pad.isEmpty
        text: qsTr("Sign here")
        color: Theme.textMuted
        font.pixelSize: Theme.fontLarge
    }
    Rectangle {
        x: Theme.margin; width: parent.width - 2 * Theme.margin
        y: parent.height * 0.75; height: 1
        color: Theme.divider
    }

    Canvas {
        id: canvas
        objectName: "signatureCanvas"
        anchors.fill: parent
        onPaint: {
            const ctx = getContext("2d")
            ctx.clearRect(0, 0, width, height)
            ctx.strokeStyle = "#10181f"
            ctx.lineCap = "round"
            ctx.lineJoin = "round"
            for (const stroke of pad.strokes) {
                for (let i = 1; i < stroke.length; ++i) {
                    ctx.lineWidth = Math.max(pad.penWidth / 3, pad.penWidth * stroke[i][3] / 1000)
                    ctx.beginPath()
                    ctx.moveTo(stroke[i - 1][0], stroke[i - 1][1])
                    ctx.lineTo(stroke[i][0], stroke[i][1])
                    ctx.stroke()
                }
                if (stroke.length === 1) {
                    ctx.beginPath()
                    ctx.arc(stroke[0][0], stroke[0][1], pad.penWidth / 2, 0, 2 * Math.PI)
                    ctx.fillStyle = "#10181f"
                    ctx.fill()
                }
            }
        }
    }

    // Stylus pressure, when the pen reports it (the MouseArea below gets the synthesized mouse).
    PointHandler {
        id: stylus
        acceptedDevices: PointerDevice.Stylus
    }

    MouseArea {
        id: area
        objectName: "signatureArea"
        anchors.fill: parent
        preventStealing: true
        onPressed: (mouse) => pad.record(mouse.x, mouse.y, true)
        onPositionChanged: (mouse) => { if (pressed) pad.record(mouse.x, mouse.y, false) }
        onReleased: (mouse) => pad.record(mouse.x, mouse.y, false)
    }
}
