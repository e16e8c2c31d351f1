// SearchField: a search box with a clear button. Ctrl+F (StandardKey.Find) focuses it while it is
// visible, Esc clears it. `edited(text)` fires on every keystroke and on clear: bind it to a
// controller's query (the models re-query at once; a keystroke costs about a millisecond).
import QtQuick
import QtQuick.Controls

TextField {
    id: field

    property bool shortcutEnabled: true
    signal edited(string text)

    implicitHeight: Theme.touch
    leftPadding: Theme.gap + glyph.implicitWidth + Theme.gapSmall
    rightPadding: clearButton.visible ? clearButton.width + Theme.gapSmall : Theme.gap
    placeholderText: qsTr("Search")
    font.pixelSize: Theme.fontBody
    selectByMouse: true
    inputMethodHints: Qt.ImhNoPredictiveText
    Accessible.role: Accessible.EditableText
    Accessible.name: placeholderText

    onTextEdited: edited(text)

    function clearSearch() {
        if (text.length === 0)
            return
        clear()
        edited("")
    }

    Keys.onEscapePressed: (event) => {
        if (text.length > 0) {
            clearSearch()
            event.accepted = true
        } else {
            event.accepted = false
        }
    }

    Label {
        id: glyph
        anchors.left: parent.left
        anchors.leftMargin: Theme.gap
        anchors.verticalCenter: parent.verticalCenter
        text: "\u2315"
        color: Theme.textMuted
        font.pixelSize: Theme.fontLarge
    }

    ToolButton {
        id: clearButton
        objectName: field.objectName.length > 0 ? field.objectName + "Clear" : "searchClear"
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        width: Theme.touch
        height: Theme.touch
        visible: field.text.length > 0
        text: "\u2715"
        focusPolicy: Qt.NoFocus
        Accessible.name: qsTr("Clear search")
        onClicked: {
            field.clearSearch()
            field.forceActiveFocus()
        }
    }

    Shortcut {
        sequences: [StandardKey.Find]
        enabled: field.shortcutEnabled && field.visible && field.enabled
        onActivated: {
            field.forceActiveFocus()
            field.selectAll()
        }
    }
}
