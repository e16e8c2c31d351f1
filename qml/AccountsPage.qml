// Accounts: search-as-you-type over name, code, city and contact names; the results fetch more
// as the list scrolls. A row opens the account page. Wide windows show more columns per row.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "accountsPage"
    title: qsTr("Accounts")
    background: Rectangle { color: Theme.background }

    readonly property bool wide: width >= 900

    header: ToolBar {
        Material.background: Theme.surface
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            spacing: Theme.gap
            Label {
                text: page.title
                font.pixelSize: Theme.fontTitle
                color: Theme.text
            }
            SearchField {
                id: search
                objectName: "accountSearchField"
                Layout.fillWidth: true
                Layout.maximumWidth: 640
                placeholderText: qsTr("Name, code, city or contact")
                text: Accounts.results.query
                onEdited: (text) => Accounts.results.query = text
            }
            Label {
                objectName: "accountCount"
                text: qsTr("%n account(s)", "", list.count)
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }
    }

    Component.onCompleted: search.forceActiveFocus()

    ListView {
        id: list
        objectName: "accountList"
        anchors.fill: parent
        anchors.margins: Theme.margin
        clip: true
        model: Accounts.results
        spacing: 1
        keyNavigationEnabled: true
        ScrollBar.vertical: ScrollBar {}

        delegate: ItemDelegate {
            id: row
            required property int index
            required property var accountId
            required property string code
            required property string name
            required property string city
            required property string postcode
            required property string terms
            required property bool onHold
            required property bool overLimit
            required property string creditText
            required property string balanceText

            objectName: "account_" + code
            width: ListView.view.width
            implicitHeight: Theme.rowHeight
            highlighted: ListView.isCurrentItem
            background: Rectangle { color: row.highlighted || row.down ? Theme.selection : Theme.surface }
            onClicked: Nav.openAccount(accountId)
            Keys.onReturnPressed: Nav.openAccount(accountId)

            contentItem: RowLayout {
                spacing: Theme.gapLarge
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        text: row.name
                        elide: Text.ElideRight
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        text: row.code + " \u00b7 " + row.city + (page.wide ? " " + row.postcode : "")
                        elide: Text.ElideRight
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textMuted
                    }
                }
                Badge {
                    visible: row.onHold
                    text: qsTr("On hold")
                    tone: Theme.error
                }
                Badge {
                    visible: row.overLimit
                    text: qsTr("Over limit")
                    tone: Theme.warning
                }
                Label {
                    visible: page.wide
                    Layout.preferredWidth: 90
                    text: row.terms
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                ColumnLayout {
                    visible: page.wide
                    Layout.preferredWidth: 160
                    spacing: 0
                    Label {
                        Layout.alignment: Qt.AlignRight
                        text: row.balanceText
                        color: row.overLimit ? Theme.warning : Theme.text
                        font.pixelSize: Theme.fontBody
                    }
                    Label {
                        Layout.alignment: Qt.AlignRight
                        text: qsTr("of %1").arg(row.creditText)
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: Accounts.results.query.length > 0 ? qsTr("No account matches \u201c%1\u201d.").arg(Accounts.results.query)
                                                    : qsTr("No accounts on this device yet.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
        }
    }

    // A small coloured label (on hold, over limit).
    component Badge: Label {
        property color tone: Theme.info
        leftPadding: Theme.gap
        rightPadding: Theme.gap
        topPadding: 2
        bottomPadding: 2
        color: tone
        font.pixelSize: Theme.fontSmall
        font.bold: true
        background: Rectangle {
            radius: Theme.radius
            color: "transparent"
            border.color: parent.tone
        }
    }
}
