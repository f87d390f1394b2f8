package io.solarwind.examples.video;

import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

/** Tells the uploader that the MP4 is ready: handles the encoder's {@code video.encoded} events. */
@Purpose(topic = "video.encoded", name = "notify-uploader")
@MessageDriven
public class UploaderNotifier implements MessageListener {
    private static final Logger LOG = Logger.getLogger(UploaderNotifier.class.getName());

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        Encoded encoded = event.json(Encoded.class);
        LOG.info(() -> "notify-uploader: " + encoded.video() + " is ready as " + encoded.format()
                + " (upload " + encoded.uploadId() + ")");
    }
}
