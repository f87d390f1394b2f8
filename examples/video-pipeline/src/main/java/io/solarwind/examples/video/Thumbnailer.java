package io.solarwind.examples.video;

import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

/**
 * Makes a thumbnail of each uploaded video. It cannot read an empty video: that event is
 * delivered three times and then goes to the dead-letter address with the reason.
 */
@Purpose(topic = "video.uploaded", name = "thumbnail", maxAttempts = 3)
@MessageDriven
public class Thumbnailer implements MessageListener {
    private static final Logger LOG = Logger.getLogger(Thumbnailer.class.getName());

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        Upload upload = event.json(Upload.class);
        if (upload.bytes() <= 0) {
            throw new IllegalArgumentException("cannot make a thumbnail of the empty video " + upload.video());
        }
        LOG.info(() -> "thumbnail: made a thumbnail of " + upload.video() + ", event " + event.id());
    }
}
