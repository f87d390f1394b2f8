package io.solarwind.examples.video;

/** The data of a {@code video.encoded} event. */
public record Encoded(String video, String format, String uploadId) {
}
