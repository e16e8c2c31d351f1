// One coherent look: Material (light) with the Outpost palette, spacing on a 4 px grid, touch
// targets of at least 48 px, and the type scale. Screens use these names, never raw numbers.
pragma Singleton
import QtQuick

QtObject {
    // Palette
    readonly property color primary: "#1F5F8B"     // headers, primary buttons
    readonly property color accent: "#E07A1F"      // the one call to action on a screen
    readonly property color background: "#F4F6F8"
    readonly property color surface: "#FFFFFF"
    readonly property color divider: "#DDE2E7"
    readonly property color text: "#1B2530"
    readonly property color textMuted: "#5E6B78"
    readonly property color ok: "#2E7D32"          // accepted, in stock, online
    readonly property color warning: "#B26A00"     // adjusted, warnings, stale data, held
    readonly property color error: "#C62828"       // rejected, errors, offline banner
    readonly property color info: "#1565C0"        // pending, syncing
    readonly property color selection: "#E3EEF7"

    // Status colour for an order status or a finding severity.
    function statusColor(status) {
        switch (status) {
        case "accepted": return ok
        case "adjusted": case "held": case "warning": case "approval": return warning
        case "rejected": case "failed": case "error": return error
        default: return info
        }
    }

    // Spacing (4 px grid) and sizes
    readonly property int gap: 8
    readonly property int gapSmall: 4
    readonly property int gapLarge: 16
    readonly property int margin: 16
    readonly property int touch: 48          // minimum height/width of anything tappable
    readonly property int rowHeight: 56      // list rows
    readonly property int railWidth: 88      // navigation rail
    readonly property int radius: 6
    readonly property bool compact: false    // set by Main.qml when the window is narrower than 1000

    // Type scale (pixel sizes)
    readonly property int fontSmall: 12
    readonly property int fontBody: 15
    readonly property int fontLarge: 18
    readonly property int fontTitle: 22
    readonly property int fontHuge: 30
}
