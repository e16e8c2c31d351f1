// Today: connection and sync state, what waits to be sent, what needs the rep's attention
// (conflicts; rejected, adjusted, held or failed orders), and the recent orders.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "todayPage"
    title: qsTr("Today")
    background: Rectangle { color: Theme.background }

    readonly property bool wide: width >= 900

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.gap
            Label {
                Layout.fillWidth: true
                text: Session.displayName !== "" ? qsTr("Today \u2014 %1").arg(Session.displayName) : page.title
                font.pixelSize: Theme.fontTitle
                elide: Text.ElideRight
            }
            // No "Sync now" here: the status banner above every page has it.
        }
    }

    GridLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        columns: page.wide ? 2 : 1
        rowSpacing: Theme.gapLarge
        columnSpacing: Theme.gapLarge

        // Status tiles
        GridLayout {
            Layout.columnSpan: page.wide ? 2 : 1
            Layout.fillWidth: true
            Layout.fillHeight: false // the tiles fill their row, the row does not fill the page
            columns: page.wide ? 4 : 2
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            StatTile {
                objectName: "todayConnection"
                caption: qsTr("Connection")
                value: Session.online && Session.syncState !== "offline" ? qsTr("Online") : qsTr("Offline")
                tone: Session.online && Session.syncState !== "offline" ? Theme.ok : Theme.error
                detail: Session.syncState === "error" ? (Session.syncErrorTransient ? qsTr("Last sync failed, will retry") : Session.syncErrorText) : ""
            }
            StatTile {
                objectName: "todayLastSync"
                caption: qsTr("Last sync")
                value: Session.lastSuccessText
                tone: Theme.text
            }
            StatTile {
                objectName: "todayPending"
                caption: qsTr("Waiting to send")
                value: String(Session.pendingCount)
                tone: Session.pendingCount > 0 ? Theme.info : Theme.text
                detail: [Session.failedCount > 0 ? qsTr("%n failed", "", Session.failedCount) : "",
                         Attachments.waitingCount > 0 ? qsTr("%n attachment(s) waiting", "", Attachments.waitingCount) : "",
                         Attachments.failedCount > 0 ? qsTr("%n attachment(s) failed", "", Attachments.failedCount) : ""]
                        .filter(t => t !== "").join(" \u00b7 ")
            }
            StatTile {
                objectName: "todayConflicts"
                caption: qsTr("Conflicts")
                value: String(Session.conflictCount)
                tone: Session.conflictCount > 0 ? Theme.warning : Theme.text
                detail: Session.conflictCount > 0 ? qsTr("Tap to resolve") : ""
                onTapped: Nav.go("conflicts")
            }
        }

        OrderListCard {
            objectName: "todayAttention"
            Layout.fillWidth: true
            Layout.fillHeight: true
            title: qsTr("Needs attention (%1)").arg(Orders.attentionCount)
            emptyText: qsTr("Nothing needs your attention.")
            model: Orders.attention
            keyPrefix: "attentionOrder_"
        }
        OrderListCard {
            objectName: "todayRecent"
            Layout.fillWidth: true
            Layout.fillHeight: true
            title: qsTr("Recent orders")
            emptyText: qsTr("No orders yet. Open an account to take one.")
            model: Orders.recent
            keyPrefix: "recentOrder_"
        }
    }

    component StatTile: Rectangle {
        id: tile
        property string caption
        property string value
        property string detail
        property color tone: Theme.text
        signal tapped()
        Layout.fillWidth: true
        Layout.fillHeight: true // a row of tiles is as tall as its tallest (one with a detail line)
        implicitHeight: tileColumn.implicitHeight + 2 * Theme.margin
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.divider
        TapHandler { onTapped: tile.tapped() }
        ColumnLayout {
            id: tileColumn
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.gapSmall
            Label { text: tile.caption; color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
            Label { text: tile.value; color: tile.tone; font.pixelSize: Theme.fontTitle; font.bold: true }
            Label {
                visible: tile.detail !== ""
                text: tile.detail
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Item { Layout.fillHeight: true }
        }
    }

    component OrderListCard: Rectangle {
        id: card
        property string title
        property string emptyText
        property string keyPrefix
        property alias model: list.model
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.divider
        implicitHeight: 240
        ColumnLayout {
            anchors.fill: parent
            anchors.margins: Theme.gap
            spacing: Theme.gapSmall
            Label {
                text: card.title
                font.pixelSize: Theme.fontLarge
                font.bold: true
                Layout.leftMargin: Theme.gap
            }
            ListView {
                id: list
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                delegate: ItemDelegate {
                    id: row
                    required property string orderId
                    required property string orderNumber
                    required property string accountName
                    required property string status
                    required property string statusText
                    required property string totalText
                    required property string submittedText
                    objectName: card.keyPrefix + orderId
                    width: ListView.view.width
                    implicitHeight: Theme.rowHeight
                    onClicked: Nav.openOrderDetail(orderId)
                    contentItem: RowLayout {
                        spacing: Theme.gap
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 0
                            Label {
                                Layout.fillWidth: true
                                text: row.accountName
                                elide: Text.ElideRight
                                font.pixelSize: Theme.fontBody
                            }
                            Label {
                                Layout.fillWidth: true
                                text: (row.orderNumber !== "" ? row.orderNumber + " \u00B7 " : "") + row.submittedText
                                color: Theme.textMuted
                                font.pixelSize: Theme.fontSmall
                                elide: Text.ElideRight
                            }
                        }
                        Label { text: row.totalText; font.pixelSize: Theme.fontBody }
                        Label {
                            objectName: "orderStatus_" + row.orderId
                            text: row.statusText
                            color: Theme.statusColor(row.status)
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                        }
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0
                    text: card.emptyText
                    color: Theme.textMuted
                }
            }
        }
    }
}
