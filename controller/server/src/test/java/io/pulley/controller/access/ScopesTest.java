package io.pulley.controller.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {
  @Test
  void noScopes_allowEverything() {
    assertThat(Scopes.allow(List.of(), "shop", "prod")).isTrue();
  }

  @Test
  void star_matchesAnyRun_andNothingElseIsSpecial() {
    assertThat(Scopes.matches("shop/*", "shop/prod")).isTrue();
    assertThat(Scopes.matches("*/staging", "shop/staging")).isTrue();
    assertThat(Scopes.matches("sh*p/*", "shop/prod")).isTrue();
    assertThat(Scopes.matches("shop/*", "shopping/prod")).isFalse();
    assertThat(Scopes.matches("shop.x/*", "shopax/prod")).isFalse();
    assertThat(Scopes.matches("shop/prod", "shop/prod2")).isFalse();
  }

  @Test
  void manyStars_againstALongName_costLittle() {
    String pattern = "*a".repeat(50) + "/b";
    String name = "a".repeat(150) + "/c";
    long start = System.nanoTime();
    assertThat(Scopes.matches(pattern, name)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(100_000_000L);
  }

  @Test
  void problem_namesAMalformedScope() {
    assertThat(Scopes.problem(List.of("shop/*"))).isNull();
    assertThat(Scopes.problem(List.of("shop"))).contains("APP/ENV");
    assertThat(Scopes.problem(List.of("shop/prod/x"))).contains("APP/ENV");
    assertThat(Scopes.problem(List.of("sh[o]p/*"))).contains("APP/ENV");
  }
}
