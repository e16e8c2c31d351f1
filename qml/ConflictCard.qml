// One conflict row of ConflictsPage: the record and field, then base | mine | theirs side by side
// (stacked on a narrow window), and the two choices.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Frame {
    id: card
    required property var conflictId
    required property string entityLabel
    required property string fieldLabel
    required property string base
    required property string mine
    required property string theirs
    required property string createdText
    required property bool canKeepMine

    objectName: "conflict_" + conflictId
    padding: Theme.margin
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.divider
        radius: Theme.radius
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: card.entityLabel
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: card.createdText
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }
        Label {
            text: card.fieldLabel
            color: Theme.warning
            font.pixelSize: Theme.fontBody
        }

        GridLayout {
            Layout.fillWidth: true
            columns: Theme.compact ? 1 : 3
            columnSpacing: Theme.gap
            rowSpacing: Theme.gapSmall
            Repeater {
                model: [
                    { title: qsTr("Before"), value: card.base, tint: Theme.background },
                    { title: qsTr("Mine"), value: card.mine, tint: Theme.selection },
                    { title: qsTr("Theirs (server)"), value: card.theirs, tint: Theme.background }
                ]
                delegate: Rectangle {
                    id: sideBox
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: side.implicitHeight + 2 * Theme.gap
                    color: modelData.tint
                    radius: Theme.radius
                    ColumnLayout {
                        id: side
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        spacing: Theme.gapSmall
                        Label {
                            text: sideBox.modelData.title
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                        }
                        Label {
                            text: sideBox.modelData.value.length > 0 ? sideBox.modelData.value : qsTr("(empty)")
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Item { Layout.fillWidth: true }
            Button {
                objectName: "keepTheirs_" + card.conflictId
                text: qsTr("Keep theirs")
                flat: true
                Layout.minimumHeight: Theme.touch
                onClicked: Conflicts.keepTheirs(card.conflictId)
            }
            Button {
                objectName: "keepMine_" + card.conflictId
                text: qsTr("Keep mine")
                highlighted: true
                enabled: card.canKeepMine
                Layout.minimumHeight: Theme.touch
                onClicked: Conflicts.keepMine(card.conflictId)
            }
        }
    }
}
