package dev.eventpipe.generate;

import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * One simulated app install: a stable {@code anonymous_id}, its hardware and software, and where it
 * stands in the sign-up funnel. Owned by one simulator thread, so its state needs no locking.
 */
final class Device {

    /** Where the device stands in the funnel registration_initiated → submission_success. */
    enum Stage { ANONYMOUS, REGISTERING, REGISTERED }

    final String anonymousId;
    final String deviceType;
    final String osName;
    final String manufacturer;
    final String model;
    final String appVersion;
    final String libraryName;
    final String libraryVersion;
    final String locale;
    final String language;
    final ZoneId zone;
    final ZoneRules rules;
    final String carrier;
    final boolean adTracking;
    final double wifiShare;

    Stage stage;
    String userId;

    Device(String anonymousId, String deviceType, String osName, String manufacturer, String model,
           String appVersion, String libraryName, String libraryVersion, String locale, String language,
           ZoneId zone, String carrier, boolean adTracking, double wifiShare) {
        this.anonymousId = anonymousId;
        this.deviceType = deviceType;
        this.osName = osName;
        this.manufacturer = manufacturer;
        this.model = model;
        this.appVersion = appVersion;
        this.libraryName = libraryName;
        this.libraryVersion = libraryVersion;
        this.locale = locale;
        this.language = language;
        this.zone = zone;
        this.rules = zone.getRules();
        this.carrier = carrier;
        this.adTracking = adTracking;
        this.wifiShare = wifiShare;
        this.stage = Stage.ANONYMOUS;
    }
}
