// The camera viewfinder and shutter (Qt Multimedia). Only ever instantiated through a Loader when
// Attachments.cameraAvailable: a machine without a camera never loads this file.
import QtQuick
import QtQuick.Controls
import QtMultimedia

Item {
    id: root
    objectName: "cameraCapture"
    signal captured(var image)

    CaptureSession {
        camera: Camera { active: true }
        imageCapture: ImageCapture {
            id: capture
            onImageCaptured: (requestId, preview) => root.captured(preview)
        }
        videoOutput: viewfinder
    }
    VideoOutput {
        id: viewfinder
        anchors.fill: parent
        fillMode: VideoOutput.PreserveAspectFit
    }
    RoundButton {
        objectName: "cameraShutter"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Theme.gap
        width: 64; height: 64
        enabled: capture.readyForCapture
        text: "●"
        onClicked: capture.capture()
    }
}
