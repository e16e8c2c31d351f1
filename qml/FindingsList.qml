// The draft's findings from domain/: errors block submit, approvals will be held, warnings show.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

ListView {
    id: list
    objectName: "findingsList"
    clip: true
    spacing: Theme.gapSmall
    model: Order.findings
    implicitHeight: contentHeight

    delegate: Rectangle {
        id: finding
        required property string code
        required property string severity
        required property int lineNo
        required property string message
        objectName: "finding_" + code + "_" + lineNo
        width: ListView.view ? ListView.view.width : 0
        implicitHeight: text.implicitHeight + 2 * Theme.gap
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.statusColor(severity)

        Label {
            id: text
            anchors.fill: parent
            anchors.margins: Theme.gap
            wrapMode: Text.Wrap
            color: Theme.statusColor(finding.severity)
            font.pixelSize: Theme.fontSmall
            text: finding.message // the domain message names the line and SKU itself
        }
    }
}
