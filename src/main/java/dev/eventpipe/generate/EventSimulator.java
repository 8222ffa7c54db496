package dev.eventpipe.generate;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Produces realistic app events for a slice of the device population. Devices are chosen with a
 * skewed (power-law) activity, so a few are busy and many are quiet; each walks the sign-up funnel
 * {@code registration_initiated → submission_success} with the configured conversion and, once
 * registered, carries a {@code user_id}. Timestamps follow the client's clock and the network:
 * {@code original_timestamp ≤ timestamp ≤ sent_at ≤ received_at}. Not thread-safe: one per thread.
 */
final class EventSimulator {

    static final String REGISTRATION_INITIATED = "registration_initiated";
    static final String SUBMISSION_SUCCESS = "submission_success";

    private record Kind(String name, String text, int weight) {
    }

    private static final Kind[] ANONYMOUS_EVENTS = {
            new Kind("application_opened", "Application Opened", 20),
            new Kind("screen_viewed", "Screen Viewed", 45),
            new Kind("button_clicked", "Button Clicked", 15),
            new Kind(REGISTRATION_INITIATED, "Registration Initiated", 20),
    };
    private static final Kind[] REGISTERED_EVENTS = {
            new Kind("application_opened", "Application Opened", 15),
            new Kind("screen_viewed", "Screen Viewed", 35),
            new Kind("button_clicked", "Button Clicked", 15),
            new Kind("item_added_to_cart", "Item Added To Cart", 8),
            new Kind("purchase_completed", "Purchase Completed", 3),
            new Kind("push_notification_received", "Push Notification Received", 7),
            new Kind("application_backgrounded", "Application Backgrounded", 12),
    };
    private static final String[] SCREENS = {"home", "feed", "search", "profile", "settings", "product", "cart", "checkout"};
    // Values fit the prototype's Redshift columns (model VARCHAR(32), library name VARCHAR(16), version
    // VARCHAR(8), locale and language VARCHAR(5), timezone and carrier VARCHAR(16)), so its own table takes them.
    private static final String[][] ANDROID_MODELS = {
            {"samsung", "SM-S911B"}, {"samsung", "SM-A546B"}, {"Google", "Pixel 8"}, {"Google", "Pixel 7a"},
            {"Xiaomi", "2201117TG"}, {"OnePlus", "CPH2449"}, {"motorola", "moto g84 5G"}};
    private static final String[] IOS_MODELS = {"iPhone15,2", "iPhone15,4", "iPhone14,7", "iPhone16,1", "iPhone13,2"};
    private static final String[] APP_VERSIONS = {"5.12.0", "5.11.2", "5.11.1", "5.10.0", "5.9.4"};
    /** Locale, time zone, language: offsets from -10:00 to +13:00, half hours and summer time included. */
    private static final String[][] LOCALES = {
            {"en-US", "America/New_York", "en"}, {"en-US", "America/Chicago", "en"}, {"en-US", "Pacific/Honolulu", "en"},
            {"en-GB", "Europe/London", "en"}, {"de-DE", "Europe/Berlin", "de"}, {"es-ES", "Europe/Madrid", "es"},
            {"pt-BR", "America/Recife", "pt"}, {"fr-FR", "Europe/Paris", "fr"}, {"ja-JP", "Asia/Tokyo", "ja"},
            {"hi-IN", "Asia/Kolkata", "hi"}, {"en-NZ", "Pacific/Auckland", "en"}};
    private static final String[] CARRIERS = {"T-Mobile", "Verizon", "AT&T", "Vodafone", "Telefonica", "Orange", "Claro", "NTT DOCOMO"};

    private final Device[] devices;
    private final SplittableRandom rng;
    private final double conversion;
    private final Clock clock;

    /**
     * @param firstDevice    index of this slice's first device in the whole population
     * @param populationSeed the same seed gives the same devices run after run
     * @param eventSeed      seeds event ids and choices; must differ between runs or ids repeat
     */
    EventSimulator(int firstDevice, int deviceCount, long populationSeed, long eventSeed,
                   double androidShare, double conversion, Clock clock) {
        this.devices = new Device[deviceCount];
        for (int i = 0; i < deviceCount; i++) {
            devices[i] = newDevice(new SplittableRandom(populationSeed * 1_000_003L + firstDevice + i), androidShare);
        }
        this.rng = new SplittableRandom(eventSeed);
        this.conversion = conversion;
        this.clock = clock;
    }

    private static Device newDevice(SplittableRandom r, double androidShare) {
        boolean android = r.nextDouble() < androidShare;
        String manufacturer;
        String model;
        if (android) {
            String[] m = ANDROID_MODELS[r.nextInt(ANDROID_MODELS.length)];
            manufacturer = m[0];
            model = m[1];
        } else {
            manufacturer = "Apple";
            model = IOS_MODELS[r.nextInt(IOS_MODELS.length)];
        }
        String[] locale = LOCALES[r.nextInt(LOCALES.length)];
        Device d = new Device(uuid(r), android ? "android" : "ios", android ? "Android" : "iOS", manufacturer, model,
                APP_VERSIONS[Math.min(APP_VERSIONS.length - 1, (int) (APP_VERSIONS.length * r.nextDouble() * r.nextDouble()))],
                android ? "analytics-kotlin" : "analytics-swift", android ? "1.16.3" : "1.6.2",
                locale[0], locale[2], ZoneId.of(locale[1]), CARRIERS[r.nextInt(CARRIERS.length)],
                r.nextDouble() < 0.7, 0.3 + 0.6 * r.nextDouble());
        if (r.nextDouble() < 0.3) {
            d.stage = Device.Stage.REGISTERED;
            d.userId = userId(r);
        }
        return d;
    }

    /** The next event of a device picked by activity; {@code late} makes its timestamp days old. */
    Event next(boolean late) {
        double u = rng.nextDouble();
        Device d = devices[(int) (devices.length * u * u)];
        Kind kind = nextKind(d);
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant sentAt = receivedAt.minusMillis(20 + rng.nextInt(380));
        Instant timestamp = late
                ? sentAt.minus(Duration.ofMinutes(24 * 60 + rng.nextInt(6 * 24 * 60)))
                : sentAt.minusMillis((long) (-1000 * Math.log(1 - rng.nextDouble())) % 30_000);
        Instant original = timestamp.minusMillis(rng.nextInt(300));
        Event.Builder b = Event.builder()
                .set(EventField.ID, uuid(rng))
                .set(EventField.ANONYMOUS_ID, d.anonymousId)
                .set(EventField.USER_ID, d.userId)
                .set(EventField.EVENT, kind.name)
                .set(EventField.EVENT_TEXT, kind.text)
                .set(EventField.TIMESTAMP, timestamp)
                .set(EventField.ORIGINAL_TIMESTAMP, OffsetDateTime.ofInstant(original, d.rules.getOffset(original)))
                .set(EventField.SENT_AT, sentAt)
                .set(EventField.RECEIVED_AT, receivedAt)
                .set(EventField.CONTEXT_DEVICE_TYPE, d.deviceType)
                .set(EventField.CONTEXT_APP_VERSION, d.appVersion)
                .set(EventField.CONTEXT_DEVICE_AD_TRACKING_ENABLED, d.adTracking)
                .set(EventField.CONTEXT_DEVICE_MANUFACTURER, d.manufacturer)
                .set(EventField.CONTEXT_DEVICE_MODEL, d.model)
                .set(EventField.CONTEXT_LIBRARY_NAME, d.libraryName)
                .set(EventField.CONTEXT_LIBRARY_VERSION, d.libraryVersion)
                .set(EventField.CONTEXT_LOCALE, d.locale)
                .set(EventField.CONTEXT_NETWORK_WIFI, rng.nextDouble() < d.wifiShare)
                .set(EventField.CONTEXT_OS_NAME, d.osName)
                .set(EventField.CONTEXT_NETWORK_CARRIER, d.carrier)
                .set(EventField.CONTEXT_TIMEZONE, d.zone.getId())
                .set(EventField.CONTEXT_TRAITS_TAXFIX_LANGUAGE, d.language);
        switch (kind.name) {
            case "screen_viewed" -> b.extra("{\"screen_name\":\"" + SCREENS[rng.nextInt(SCREENS.length)] + "\"}");
            case "purchase_completed" -> b.extra(String.format(Locale.ROOT,
                    "{\"revenue\":%.2f,\"currency\":\"USD\"}", 1 + rng.nextInt(9_900) / 100.0));
            default -> { }
        }
        return b.build();
    }

    /** Chooses what the device does next and moves it along the funnel. */
    private Kind nextKind(Device d) {
        switch (d.stage) {
            case REGISTERING -> {
                if (rng.nextDouble() < conversion) {
                    d.stage = Device.Stage.REGISTERED;
                    d.userId = userId(rng);
                    return new Kind(SUBMISSION_SUCCESS, "Submission Success", 0);
                }
                d.stage = Device.Stage.ANONYMOUS;
                return ANONYMOUS_EVENTS[1];
            }
            case ANONYMOUS -> {
                Kind k = pick(ANONYMOUS_EVENTS);
                if (k.name.equals(REGISTRATION_INITIATED)) {
                    d.stage = Device.Stage.REGISTERING;
                }
                return k;
            }
            default -> {
                return pick(REGISTERED_EVENTS);
            }
        }
    }

    private Kind pick(Kind[] kinds) {
        int total = 0;
        for (Kind k : kinds) {
            total += k.weight;
        }
        int x = rng.nextInt(total);
        for (Kind k : kinds) {
            x -= k.weight;
            if (x < 0) {
                return k;
            }
        }
        return kinds[kinds.length - 1];
    }

    SplittableRandom random() {
        return rng;
    }

    /** A version-4 UUID in upper case, as the prototype's producer writes ids ({@code str(uuid4()).upper()}). */
    static String uuid(SplittableRandom r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo).toString().toUpperCase(Locale.ROOT);
    }

    /** Digits that fit the prototype's {@code user_id INTEGER} column. */
    private static String userId(SplittableRandom r) {
        return Integer.toString(100_000 + r.nextInt(Integer.MAX_VALUE - 100_000));
    }
}
