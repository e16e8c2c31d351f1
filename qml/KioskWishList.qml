// The visitor's wish list (Kiosk.wishList): quantity steppers, remove, total, "send".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

ColumnLayout {
    id: root
    signal sendRequested()
    spacing: Theme.gap

    Label {
        text: qsTr("Your wish list")
        font.pixelSize: Theme.fontTitle
        color: Theme.text
        Layout.margins: Theme.margin
    }

    ListView {
        objectName: "kioskWishListView"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: Kiosk.wishList
        delegate: RowLayout {
            id: line
            required property var productId
            required property string sku
            required property string name
            required property var quantity
            required property string lineTotalText
            objectName: "wish_" + sku
            width: ListView.view.width
            height: Theme.rowHeight
            spacing: Theme.gap
            Label {
                text: line.name
                elide: Text.ElideRight
                font.pixelSize: Theme.fontBody
                color: Theme.text
                Layout.fillWidth: true
                Layout.leftMargin: Theme.margin
            }
            SpinBox {
                objectName: "wishQty_" + line.sku
                from: 0
                to: 9999
                value: line.quantity
                Layout.preferredHeight: Theme.touch
                onValueModified: Kiosk.setQuantity(line.productId, value)
            }
            Label {
                text: line.lineTotalText
                font.pixelSize: Theme.fontBody
                color: Theme.text
                Layout.rightMargin: Theme.margin
            }
        }
    }

    Label {
        visible: Kiosk.itemCount === 0
        text: qsTr("Tap a product to add it.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontBody
        Layout.alignment: Qt.AlignHCenter
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.margins: Theme.margin
        Label {
            text: qsTr("Total (list prices): %1").arg(Kiosk.totalText)
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            Layout.fillWidth: true
        }
        Button {
            text: qsTr("Clear")
            flat: true
            enabled: Kiosk.itemCount > 0
            Layout.preferredHeight: Theme.touch
            onClicked: Kiosk.clear()
        }
        Button {
            objectName: "kioskSendListButton"
            text: qsTr("Send my list")
            highlighted: true
            enabled: Kiosk.itemCount > 0
            Layout.preferredHeight: Theme.touch
            onClicked: root.sendRequested()
        }
    }
}
