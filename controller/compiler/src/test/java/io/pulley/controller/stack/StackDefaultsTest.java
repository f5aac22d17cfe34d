package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static io.pulley.controller.stack.SampleStacks.withTls;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.HandoverMode;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every unset field of a stack gets the value docs/stack.md promises, once, in one place. */
class StackDefaultsTest {

  @Test
  void filled_minimalStack_hasEveryDefaultWrittenOut() {
    Stack stack = StackDefaults.filled(manifest(minimal()));

    assertThat(stack.getName()).isEqualTo("pulley-sample");
    assertThat(stack.getRoot()).isEqualTo("/srv/pulley-sample");
    assertThat(stack.getGit().getKeep()).isEqualTo(5);
    // Each host's own python3: one manifest serves Debian 12 and 13 hosts alike.
    assertThat(stack.getPython().getInterpreter()).isEmpty();
    var web = stack.getWeb();
    assertThat(
            List.of(
                web.getThreads(),
                web.getHarakiri(),
                web.getMaxRequests(),
                web.getListen(),
                web.getBufferSize(),
                web.getDrainSeconds()))
        .containsExactly(1, 300, 500, 1024, 8192, 2);
    assertThat(web.getHandoverMode()).isEqualTo(HandoverMode.HANDOVER_MODE_PER_RELEASE);
    var site = stack.getSite();
    assertThat(site.getHttpPort()).isEqualTo(80);
    assertThat(List.of(site.getStaticUrl(), site.getClientMaxBodySize(), site.getWebsocketPath()))
        .containsExactly("/static/", "99m", "/ws/");
    assertThat(stack.getSettings().getUse()).isEqualTo("egg:pulley-sample");
    var health = stack.getHealth();
    assertThat(health.getPath()).isEqualTo("/health");
    assertThat(List.of(health.getExpectStatus(), health.getDeadlineSeconds()))
        .containsExactly(200, 60);
  }

  @Test
  void filled_optionalSections_getTheirDefaultsOnlyWhenPresent() {
    Stack bare = StackDefaults.filled(manifest(minimal()));
    assertThat(List.of(bare.hasCelery(), bare.hasDatabase(), bare.hasRedis())).containsOnly(false);
    assertThat(bare.getSite().hasTls()).isFalse();

    Stack stack = StackDefaults.filled(manifest(withTls(full())));
    assertThat(stack.getSite().getTls().getPort()).isEqualTo(443);
    assertThat(stack.getSite().getTls().getHstsMaxAge()).isEqualTo(63_072_000);
    assertThat(stack.getCelery().getStopTimeoutSeconds()).isEqualTo(600);
    assertThat(stack.getDatabase().getName()).isEqualTo("pulley_sample");
    assertThat(List.of(stack.getRedis().getCacheDb(), stack.getRedis().getBrokerDb()))
        .containsExactly(1, 3);
    assertThat(stack.getCommandsList())
        .extracting(StackCommand::getTimeoutSeconds)
        .containsOnly(300);
  }

  @Test
  void filled_anEmptyCache_getsTheDocumentedDefaults_andNoneIsAdded() {
    assertThat(StackDefaults.filled(manifest(minimal())).getSite().hasCache()).isFalse();
    var cached = minimal();
    cached.getSiteBuilder().setCache(io.pulley.v1.StackCache.getDefaultInstance());

    var cache = StackDefaults.filled(manifest(cached)).getSite().getCache();

    assertThat(cache.getMaxSize()).isEqualTo("1g");
    assertThat(cache.getValidSeconds()).isEqualTo(60);
    assertThat(cache.getPathsList()).containsExactly("/");
    assertThat(cache.getBypassCookiesList())
        .containsExactly("session", "sessionid", "auth_tkt", "remember_token");
    assertThat(cache.getStatusesList()).containsExactly(200, 301, 302);
  }

  @Test
  void filled_writtenValues_stayAsWritten() {
    var written = withTls(full()).setName("shop");
    written.getWebBuilder().setHarakiri(60).setDrainSeconds(7);
    written.getWebBuilder().setHandoverMode(HandoverMode.HANDOVER_MODE_RELOAD);
    written.getSiteBuilder().getTlsBuilder().setHstsMaxAge(-1);
    written.getRedisBuilder().setCacheDb(4);

    Stack stack = StackDefaults.filled(manifest(written));

    assertThat(stack.getName()).isEqualTo("shop");
    assertThat(stack.getRoot()).isEqualTo("/srv/shop");
    assertThat(stack.getDatabase().getName()).isEqualTo("shop");
    assertThat(List.of(stack.getWeb().getHarakiri(), stack.getWeb().getDrainSeconds()))
        .containsExactly(60, 7);
    assertThat(stack.getWeb().getHandoverMode()).isEqualTo(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(stack.getSite().getTls().getHstsMaxAge()).isEqualTo(-1);
    assertThat(stack.getRedis().getCacheDb()).isEqualTo(4);
  }

  @Test
  void filled_valuesTheHostDecides_stayUnset() {
    Stack stack = StackDefaults.filled(manifest(full()));

    assertThat(stack.getWeb().getProcesses()).isZero();
    assertThat(stack.getCelery().getConcurrency()).isZero();
    assertThat(stack.getCelery().getQueuesList()).isEmpty();
  }

  @SuppressWarnings("deprecation") // a revision stored before the enum holds the word
  @Test
  void filled_storedWord_becomesTheMode() {
    var stored = minimal();
    stored.getWebBuilder().setHandover("reload");

    Stack stack = StackDefaults.filled(manifest(stored));

    assertThat(stack.getWeb().getHandoverMode()).isEqualTo(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(stack.getWeb().getHandover()).isEmpty();
  }
}
