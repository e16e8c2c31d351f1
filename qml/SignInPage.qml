// Sign-in: server, tenant, user, password. The first sign-in needs the server; afterwards the app
// opens offline with the stored session and this page is not shown.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "signInPage"
    title: qsTr("Sign in")

    function errorMessage(code) {
        switch (code) {
        case "": return ""
        case "auth.invalid_credentials": return qsTr("Wrong user name, tenant or password.")
        case "auth.forbidden_role": return qsTr("This user may not use the field app.")
        case "net.offline": case "net.no_answer": case "net.reset":
            return qsTr("The server cannot be reached. The first sign-in needs a connection: check the address and the network.")
        case "net.tls": return qsTr("The server's certificate is not trusted.")
        default: return Session.errorText !== "" ? Session.errorText : qsTr("Sign-in failed (%1).").arg(code)
        }
    }
    function submit() {
        if (signInButton.enabled)
            Session.signIn(serverField.text, tenantField.text, userField.text, passwordField.text)
    }

    background: Rectangle { color: Theme.background }

    Pane {
        anchors.centerIn: parent
        width: Math.min(page.width - 2 * Theme.margin, 420)
        padding: Theme.gapLarge * 2
        Material.elevation: 2

        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.gap

            Label {
                text: qsTr("Outpost")
                font.pixelSize: Theme.fontHuge
                color: Theme.primary
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Sign in once with a connection; after that the app works offline.")
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
            }
            TextField {
                id: serverField
                objectName: "signInServer"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                placeholderText: qsTr("Server address")
                text: Session.defaultServer.toString()
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                onAccepted: tenantField.forceActiveFocus()
            }
            TextField {
                id: tenantField
                objectName: "signInTenant"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                placeholderText: qsTr("Company (tenant)")
                text: Session.defaultTenant
                inputMethodHints: Qt.ImhNoAutoUppercase
                onAccepted: userField.forceActiveFocus()
            }
            TextField {
                id: userField
                objectName: "signInUser"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                placeholderText: qsTr("User name")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                focus: true
                onAccepted: passwordField.forceActiveFocus()
            }
            TextField {
                id: passwordField
                objectName: "signInPassword"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                placeholderText: qsTr("Password")
                echoMode: TextInput.Password
                onAccepted: page.submit()
            }
            Label {
                objectName: "signInError"
                Layout.fillWidth: true
                visible: text !== "" && !Session.busy
                text: page.errorMessage(Session.errorCode)
                color: Theme.error
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontBody
            }
            RowLayout {
                Layout.fillWidth: true
                BusyIndicator {
                    objectName: "signInBusy"
                    running: Session.busy
                    visible: Session.busy
                    Layout.preferredHeight: Theme.touch
                    Layout.preferredWidth: Theme.touch
                }
                Item { Layout.fillWidth: true }
                Button {
                    id: signInButton
                    objectName: "signInButton"
                    text: qsTr("Sign in")
                    highlighted: true
                    Layout.preferredHeight: Theme.touch
                    enabled: !Session.busy && serverField.text !== "" && userField.text !== "" && passwordField.text !== ""
                    onClicked: page.submit()
                }
            }
        }
    }
}
