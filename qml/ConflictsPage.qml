// Conflicts: each open conflict side by side, field by field (what both agreed on, mine, the
// server's), with keep mine / keep theirs. Rows come from Conflicts.model and update as sync runs.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "conflictsPage"
    title: qsTr("Conflicts")
    background: Rectangle { color: Theme.background }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            Label {
                text: page.title
                font.pixelSize: Theme.fontTitle
                color: Theme.text
                Layout.fillWidth: true
            }
            Label {
                objectName: "conflictsCount"
                text: qsTr("%n open", "", Conflicts.model.count)
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        Label {
            objectName: "conflictsError"
            visible: Conflicts.errorText.length > 0
            text: Conflicts.errorText
            color: Theme.error
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        Label {
            objectName: "conflictsHint"
            visible: Conflicts.model.count > 0
            text: qsTr("Someone else changed the same details before your change reached the server. Choose which value to keep.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        ListView {
            id: list
            objectName: "conflictsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: Conflicts.model.count > 0
            clip: true
            spacing: Theme.gap
            model: Conflicts.model
            delegate: ConflictCard {
                width: ListView.view.width
            }
            ScrollBar.vertical: ScrollBar {}
        }

        // Empty state
        ColumnLayout {
            objectName: "conflictsEmpty"
            visible: Conflicts.model.count === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap
            Item { Layout.fillHeight: true }
            Label {
                text: "\u2713"
                color: Theme.ok
                font.pixelSize: Theme.fontHuge * 2
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                text: qsTr("No conflicts")
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                text: qsTr("Your changes and the server agree.")
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
                Layout.alignment: Qt.AlignHCenter
            }
            Item { Layout.fillHeight: true }
        }
    }
}
