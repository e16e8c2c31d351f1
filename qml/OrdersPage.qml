// Order history: recent orders of every account and those needing attention (rejected, adjusted,
// held, failed), with the server's status, updated live as sync delivers outcomes.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "ordersPage"
    title: qsTr("Orders")
    background: Rectangle { color: Theme.background }

    header: TabBar {
        id: tabs
        objectName: "ordersTabs"
        TabButton { objectName: "recentTab"; text: qsTr("Recent"); height: Theme.touch }
        TabButton {
            objectName: "attentionTab"
            text: Orders.attentionCount > 0 ? qsTr("Needs attention (%1)").arg(Orders.attentionCount)
                                            : qsTr("Needs attention")
            height: Theme.touch
        }
    }

    ListView {
        id: list
        objectName: "ordersList"
        anchors.fill: parent
        anchors.margins: Theme.margin
        clip: true
        model: tabs.currentIndex === 0 ? Orders.recent : Orders.attention
        ScrollBar.vertical: ScrollBar {}

        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: tabs.currentIndex === 0 ? qsTr("No orders yet.") : qsTr("Nothing needs your attention.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
        }

        delegate: ItemDelegate {
            id: row
            required property string orderId
            required property string orderNumber
            required property string accountName
            required property string status
            required property string statusText
            required property string totalText
            required property int lineCount
            required property string submittedText
            objectName: "orderRow_" + orderId
            width: ListView.view ? ListView.view.width : 0
            height: Theme.rowHeight
            onClicked: Nav.openOrderDetail(orderId)

            contentItem: RowLayout {
                spacing: Theme.gap
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Label { text: row.accountName; font.pixelSize: Theme.fontBody; elide: Text.ElideRight; Layout.fillWidth: true }
                    Label {
                        text: (row.orderNumber !== "" ? row.orderNumber + " · " : "") + row.submittedText
                              + " · " + qsTr("%n line(s)", "", row.lineCount)
                        color: Theme.textMuted; font.pixelSize: Theme.fontSmall
                    }
                }
                Label {
                    objectName: "orderStatus_" + row.orderId
                    text: row.statusText
                    color: Theme.statusColor(row.status)
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                    Layout.maximumWidth: 260
                }
                Label { text: row.totalText; font.pixelSize: Theme.fontBody; Layout.preferredWidth: 110; horizontalAlignment: Text.AlignRight }
            }
        }
    }
}
