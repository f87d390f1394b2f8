/**
 * A video pipeline as Solar Wind handlers. {@code video.uploaded} has three purposes:
 * {@link io.solarwind.examples.video.Mp4Encoder} ({@code encode-mp4}, direct, two
 * instances), {@link io.solarwind.examples.video.Thumbnailer} ({@code thumbnail}, direct)
 * and {@link io.solarwind.examples.video.AuditLog} with
 * {@link io.solarwind.examples.video.AuditLogReplica} ({@code audit-log}, fanout, two
 * instances). The encoder fires {@code video.encoded}, which
 * {@link io.solarwind.examples.video.UploaderNotifier} handles.
 */
package io.solarwind.examples.video;
