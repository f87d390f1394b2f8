package io.solarwind.examples.video;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import io.solarwind.handler.SolarWindEvents;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

/** Encodes each uploaded video to MP4, two at a time, and fires {@code video.encoded}. */
@Purpose(topic = "video.uploaded", name = "encode-mp4", exchange = Exchange.DIRECT, concurrency = 2)
@MessageDriven
public class Mp4Encoder implements MessageListener {
    private static final Logger LOG = Logger.getLogger(Mp4Encoder.class.getName());

    @Inject
    SolarWindEvents events;

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        Upload upload = event.json(Upload.class);
        LOG.info(() -> "encode-mp4: encoding " + upload.video() + " (" + upload.bytes() + " bytes), event " + event.id());
        events.fire("video.encoded", "encoded-" + event.id(), "{\"video\":\"" + upload.video().replace(".mov", ".mp4")
                + "\",\"format\":\"mp4\",\"uploadId\":\"" + event.id() + "\"}");
    }
}
