package dev.eventpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/events?user=bob&password=SECRET&ssl=true | jdbc:postgresql://db:5432/events?user=bob&password=****&ssl=true",
            "postgres://bob:SECRET@db.example.com/events | postgres://bob:****@db.example.com/events",
            "postgresql://bob:p@ss:w0rd@db:5432/events | postgresql://bob:****@db:5432/events",
            "https://AKIA123:abc%2Fdef@s3.local:9000/bucket | https://AKIA123:****@s3.local:9000/bucket",
            "jdbc:redshift://cluster:5439/dev;UID=bob;PWD=SECRET;ssl=true | jdbc:redshift://cluster:5439/dev;UID=bob;PWD=****;ssl=true",
            "https://q.local/x?X-Amz-Signature=SIG&X-Amz-Credential=AKIA/1&X-Amz-Security-Token=TOK&n=1 "
                    + "| https://q.local/x?X-Amz-Signature=****&X-Amz-Credential=****&X-Amz-Security-Token=****&n=1",
            "http://h/?apiKey=K&secret_key=S&access_token=T&passwd=P#frag | http://h/?apiKey=****&secret_key=****&access_token=****&passwd=****#frag",
            "url one postgres://a:SECRET@h/d and two http://h/?token=T | url one postgres://a:****@h/d and two http://h/?token=****"})
    void masksTheCredentialsOfAnyUrl(String url, String masked) {
        assertThat(Secrets.maskUrl(url)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://queue.local:9324", "jdbc:postgresql://db:5432/events?user=bob&ssl=true", "postgres://bob@db/events",
            "embedded", "*/5 * * * *", "registration_initiated, submission_success", "data/dfs", ""})
    void leavesTextWithoutCredentialsAlone(String text) {
        assertThat(Secrets.maskUrl(text)).isEqualTo(text);
    }

    @Test
    void aSecretKeysValueIsNeverShownAndAnyOtherKeysUrlIsMasked() {
        assertThat(Secrets.shown("password", "hunter2")).isEqualTo("****");
        assertThat(Secrets.shown("aws_secret_access_key", "")).isEqualTo("****");
        assertThat(Secrets.shown("url", "postgres://bob:hunter2@db/e")).isEqualTo("postgres://bob:****@db/e");
        assertThat(Secrets.shown("sqs_name", "events")).isEqualTo("events");
    }
}
