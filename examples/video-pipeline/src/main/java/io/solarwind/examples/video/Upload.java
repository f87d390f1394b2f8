package io.solarwind.examples.video;

/** The data of a {@code video.uploaded} event. */
public record Upload(String video, long bytes) {
}
