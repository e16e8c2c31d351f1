// One submitted order with the server's outcome: status, hold and rejection reasons, totals, and
// every line (accepted; adjusted old -> new; rejected with the reason). Retry for a failed order,
// reorder into a new draft.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "orderDetailPage"
    title: Orders.orderNumber !== "" ? qsTr("Order %1").arg(Orders.orderNumber) : qsTr("Order")
    background: Rectangle { color: Theme.background }

    Shortcut { sequence: "Esc"; onActivated: Nav.back() }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.gap
            anchors.rightMargin: Theme.gap
            ToolButton { text: "‹"; implicitWidth: Theme.touch; implicitHeight: Theme.touch; onClicked: Nav.back() }
            Label { text: page.title + " · " + Orders.accountName; font.pixelSize: Theme.fontTitle; elide: Text.ElideRight; Layout.fillWidth: true }
            Button {
                objectName: "retryOrderButton"
                visible: Orders.status === "failed"
                text: qsTr("Send again")
                Layout.preferredHeight: Theme.touch
                onClicked: Orders.retry(Orders.currentId)
            }
            Button {
                objectName: "reorderButton"
                visible: Orders.currentId !== ""
                text: qsTr("Reorder")
                flat: true
                Layout.preferredHeight: Theme.touch
                onClicked: {
                    if (Order.reorderFrom(Orders.currentId) && Nav.stack)
                        Nav.stack.push(Qt.resolvedUrl("OrderPage.qml"))
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        RowLayout {
            spacing: Theme.gapLarge
            Layout.fillWidth: true
            Label {
                objectName: "orderDetailStatus"
                text: Orders.statusText
                color: Theme.statusColor(Orders.status)
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            Label { text: qsTr("Submitted %1").arg(Orders.submittedText); color: Theme.textMuted; font.pixelSize: Theme.fontSmall; visible: Orders.submittedText !== "" }
            Label { text: qsTr("Decided %1").arg(Orders.decidedText); color: Theme.textMuted; font.pixelSize: Theme.fontSmall; visible: Orders.decidedText !== "" }
            Item { Layout.fillWidth: true }
            Label { objectName: "orderDetailTotal"; text: qsTr("Tax %1 · Total %2").arg(Orders.taxText).arg(Orders.totalText); font.pixelSize: Theme.fontBody }
        }
        Label {
            objectName: "orderDetailError"
            visible: Orders.errorText !== ""
            text: Orders.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            objectName: "orderHoldReasons"
            visible: Orders.holdReasons.length > 0
            text: qsTr("Held for approval: %1").arg(Orders.holdReasons.join(", "))
            color: Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        AttachmentsPanel {
            objectName: "orderDetailAttachments"
            ownerType: "order"
            ownerId: Orders.currentId
            visible: Orders.currentId !== "" && count > 0
            Layout.fillWidth: true
        }

        ListView {
            id: lines
            objectName: "orderDetailLines"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Orders.lines
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: line
                required property int lineNo
                required property string sku
                required property string name
                required property var quantity
                required property var acceptedQuantity
                required property var backorderedQuantity
                required property string outcome
                required property string unitPriceText
                required property string totalText
                required property var changes
                required property string reason
                objectName: "outcomeLine_" + sku
                width: ListView.view ? ListView.view.width : 0
                implicitHeight: Math.max(Theme.rowHeight, col.implicitHeight + 2 * Theme.gap)
                color: Theme.surface
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }

                RowLayout {
                    anchors.fill: parent
                    anchors.margins: Theme.gap
                    spacing: Theme.gap
                    ColumnLayout {
                        id: col
                        spacing: 0
                        Layout.fillWidth: true
                        Label { text: line.sku + " · " + line.name; font.pixelSize: Theme.fontBody; elide: Text.ElideRight; Layout.fillWidth: true }
                        Label {
                            text: qsTr("Asked %1").arg(line.quantity)
                                  + (line.acceptedQuantity !== undefined && line.acceptedQuantity !== null
                                     ? qsTr(" · ships %1").arg(line.acceptedQuantity) : "")
                            color: Theme.textMuted; font.pixelSize: Theme.fontSmall
                        }
                        Repeater {
                            model: line.changes
                            delegate: Label {
                                required property string modelData
                                text: modelData
                                color: Theme.warning
                                font.pixelSize: Theme.fontSmall
                            }
                        }
                        Label {
                            visible: line.reason !== ""
                            text: line.reason
                            color: Theme.error
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                    Label {
                        objectName: "outcome_" + line.sku
                        text: line.outcome === "" ? qsTr("Waiting") : line.outcome
                        color: Theme.statusColor(line.outcome)
                        font.pixelSize: Theme.fontSmall
                    }
                    Label { text: line.unitPriceText; font.pixelSize: Theme.fontBody; Layout.preferredWidth: 100; horizontalAlignment: Text.AlignRight }
                    Label { text: line.totalText; font.pixelSize: Theme.fontBody; Layout.preferredWidth: 110; horizontalAlignment: Text.AlignRight }
                }
            }
        }
    }
}
