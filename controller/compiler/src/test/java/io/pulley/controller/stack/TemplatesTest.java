package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static io.pulley.controller.stack.SampleStacks.withTls;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Handover;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.Stack;
import org.junit.jupiter.api.Test;

/** The configuration files the stack writes, checked as text. */
class TemplatesTest {

  private static final String HEADER =
      "# Written by Pulley from the stack section of pulley-sample/staging; edits here are"
          + " overwritten.\n";

  private static String file(Stack.Builder stack, String id) {
    return StackRenderer.render(manifest(stack)).stream()
        .filter(r -> r.getId().equals(id))
        .findFirst()
        .orElseThrow()
        .getFile()
        .getContent();
  }

  private static Handover handover(Stack.Builder stack) {
    return StackRenderer.render(manifest(stack)).stream()
        .filter(r -> r.getId().equals("handover"))
        .findFirst()
        .orElseThrow()
        .getHandover();
  }

  private static String unit(Stack.Builder stack, String id) {
    return StackRenderer.render(manifest(stack)).stream()
        .filter(r -> r.getId().equals(id))
        .findFirst()
        .orElseThrow()
        .getService()
        .getUnit();
  }

  @Test
  void settings_fullSample_hasUrlsValuesAndSecretReferences() {
    assertThat(file(full(), "file:settings"))
        .isEqualTo(
            HEADER
                + """
                [app:main]
                use = egg:pulley-sample
                sqlalchemy.url = postgresql://pulley_sample:${secret:database-password}@127.0.0.1:5432/pulley_sample
                redis.url = redis://127.0.0.1:6379/1
                celery.broker_url = redis://127.0.0.1:6379/3
                sample.greeting = Hello
                session.secret = ${secret:session.secret}
                """);
  }

  @Test
  void settings_minimal_hasOnlyTheUseLine() {
    assertThat(file(minimal(), "file:settings"))
        .isEqualTo(HEADER + "[app:main]\nuse = egg:pulley-sample\n");
  }

  @Test
  void uwsgiIni_fullSample_isTheDocumentedConfiguration() {
    assertThat(file(full(), "file:uwsgi-ini"))
        .isEqualTo(
            HEADER
                + """
                [uwsgi]
                plugins = python3
                master = true
                chdir = /srv/pulley-sample/releases/$(PULLEY_INSTANCE)
                home = /srv/pulley-sample/releases/$(PULLEY_INSTANCE)/venv
                module = pulley_sample.wsgi:application
                socket = /run/pulley-sample/$(PULLEY_INSTANCE).sock
                chmod-socket = 660
                chown-socket = pulley-sample:www-data
                processes = %k
                threads = 1
                enable-threads = true
                harakiri = 300
                max-requests = 500
                listen = 1024
                buffer-size = 8192
                stats = /run/pulley-sample/$(PULLEY_INSTANCE).stats
                master-fifo = /run/pulley-sample/$(PULLEY_INSTANCE).fifo
                hook-accepting1-once = create:/run/pulley-sample/$(PULLEY_INSTANCE).ready
                need-app = true
                vacuum = true
                disable-logging = true
                hook-master-start = unix_signal:15 gracefully_kill_them_all
                """);
  }

  @Test
  void uwsgiIni_reloadMode_findsTheCodeThroughCurrent_withABacklogForThePause() {
    var stack = full();
    stack.getWebBuilder().setHandoverMode(HandoverMode.HANDOVER_MODE_RELOAD);

    assertThat(file(stack, "file:uwsgi-ini"))
        .contains(
            "chdir = /srv/pulley-sample/current\n",
            "home = /srv/pulley-sample/current/venv\n",
            "master-fifo = /run/pulley-sample/$(PULLEY_INSTANCE).fifo\n");
    assertThat(handover(stack).getMode()).isEqualTo(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(handover(full()).getMode()).isEqualTo(HandoverMode.HANDOVER_MODE_PER_RELEASE);
  }

  @Test
  void uwsgiIni_givenNumbers_areWritten_andNoVariableIsInIt() {
    var stack = minimal().putEnvironment("GREETING", "100%");
    stack.getWebBuilder().setWsgi("app.web:make").setProcesses(3).setHarakiri(60);
    String ini = file(stack, "file:uwsgi-ini");

    assertThat(ini)
        .contains("module = app.web:make\n", "processes = 3\n", "harakiri = 60\n")
        .doesNotContain("env =", "GREETING", "die-on-term");
  }

  @Test
  void uwsgiUnit_runsAsTheAppUserAndStopsAfterHarakiri() {
    assertThat(handover(full()).getWebUnitContent())
        .isEqualTo(
            HEADER
                + """
                [Unit]
                Description=uWSGI of pulley-sample, instance %i (Pulley)
                After=network.target postgresql.service redis-server.service

                [Service]
                # uWSGI tells systemd when its app has loaded, so a start returns once it can serve.
                Type=notify
                NotifyAccess=all
                User=pulley-sample
                Group=pulley-sample
                # The socket's group is nginx's, so that nginx may connect and nobody else.
                SupplementaryGroups=www-data
                RuntimeDirectory=pulley-sample
                RuntimeDirectoryPreserve=yes
                # The ini names the release, socket, FIFO and readiness file after the instance.
                Environment=PULLEY_INSTANCE=%i
                EnvironmentFile=/srv/pulley-sample/shared/config/environment
                WorkingDirectory=/
                ExecStart=/usr/bin/uwsgi --ini /srv/pulley-sample/shared/config/uwsgi.ini
                ExecStartPost=-/usr/bin/ln -s %i.sock /run/pulley-sample/uwsgi.sock
                KillMode=mixed
                KillSignal=SIGTERM
                TimeoutStopSec=330
                Restart=on-failure

                [Install]
                WantedBy=multi-user.target
                """);
  }

  @Test
  void celeryWorkerUnit_isTheDocumentedCommand() {
    var stack = full();
    stack.getCeleryBuilder().addQueues("default").addQueues("mail").setConcurrency(2);

    assertThat(handover(stack).getWorkerUnitContent())
        .isEqualTo(
            HEADER
                + """
                [Unit]
                Description=Celery worker of pulley-sample (Pulley)
                After=network.target postgresql.service redis-server.service

                [Service]
                User=pulley-sample
                Group=pulley-sample
                WorkingDirectory=/srv/pulley-sample/releases/%i
                EnvironmentFile=/srv/pulley-sample/shared/config/environment
                ExecStart=/srv/pulley-sample/releases/%i/venv/bin/python -m celery -A pulley_sample.tasks worker -n pulley-sample-%i@%%h -Q default,mail --concurrency 2 --loglevel INFO
                KillMode=mixed
                TimeoutStopSec=600
                Restart=on-failure

                [Install]
                WantedBy=multi-user.target
                """);
  }

  @Test
  void celeryBeatUnit_keepsItsScheduleInShared() {
    assertThat(unit(full(), "service:celery-beat"))
        .contains(
            "ExecStart=/srv/pulley-sample/current/venv/bin/python -m celery -A pulley_sample.tasks"
                + " beat -s /srv/pulley-sample/shared/celerybeat/schedule --loglevel INFO\n")
        .contains("KillMode=mixed\n")
        .doesNotContain("TimeoutStopSec");
  }

  @Test
  void nginx_plainHttp_servesTheAppStaticsAndStatus() {
    String site = file(full(), "file:nginx-site");

    assertThat(site)
        .startsWith(HEADER + "log_format pulley_sample_pulley ")
        .contains(
            "$status",
            "upstream_status=$upstream_status",
            "request_time=$request_time",
            "upstream_response_time=$upstream_response_time",
            "version=$upstream_http_x_version")
        .contains(
            """
            server {
                listen 80;
                listen [::]:80;
                server_name sample.example.com www.sample.example.com;

                access_log /var/log/nginx/pulley-sample.access.log pulley_sample_pulley;
                error_log /var/log/nginx/pulley-sample.error.log;
                client_max_body_size 99m;

                location = /nginx-status {
                    stub_status;
                    allow 127.0.0.1;
                    allow ::1;
                    deny all;
                    access_log off;
                }

                location /static/ {
                    alias /srv/pulley-sample/current/pulley_sample/static/;
                }

                location / {
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
                    include uwsgi_params;
                }
            }
            """)
        .doesNotContain("ssl", "auth_basic", "map $http_upgrade");
  }

  @Test
  void nginx_tls_redirectsHttpExceptAcmeAndUsesModernTls() {
    String site = file(withTls(full()), "file:nginx-site");

    assertThat(site)
        .contains(
            """
                location /.well-known/acme-challenge/ {
                    root /var/www/html;
                }

                location / {
                    return 301 https://$host$request_uri;
                }
            """)
        .contains(
            """
                listen 443 ssl http2;
                listen [::]:443 ssl http2;
                ssl_certificate /etc/ssl/sample/fullchain.pem;
                ssl_certificate_key /etc/ssl/sample/privkey.pem;
                ssl_protocols TLSv1.2 TLSv1.3;
            """)
        .contains("ssl_session_tickets off;\n", "ssl_prefer_server_ciphers off;\n")
        .contains("add_header Strict-Transport-Security \"max-age=63072000\" always;\n")
        .contains("ECDHE-RSA-AES128-GCM-SHA256");
  }

  @Test
  void nginx_tlsOnOtherPortWithoutHsts_redirectsThereAndSendsNoHeader() {
    var stack = withTls(minimal());
    stack.getSiteBuilder().setHttpPort(8080).getTlsBuilder().setPort(8443).setHstsMaxAge(-1);
    String site = file(stack, "file:nginx-site");

    assertThat(site)
        .contains("listen 8080;\n", "listen 8443 ssl http2;\n")
        .contains("return 301 https://$host:8443$request_uri;")
        .doesNotContain("Strict-Transport-Security");
  }

  @Test
  void nginx_htpasswd_asksForAPasswordExceptOnTheHealthPath() {
    var stack = minimal();
    stack.getSiteBuilder().addHtpasswd("admin:$2y$05$abc");
    String site = file(stack, "file:nginx-site");

    assertThat(site)
        .contains(
            "    auth_basic \"pulley-sample\";\n"
                + "    auth_basic_user_file /etc/nginx/pulley-sample.htpasswd;\n")
        .contains(
            """
                location = /health {
                    auth_basic off;
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
                    include uwsgi_params;
                }
            """);
  }

  @Test
  void nginx_websocketRealIpAndBodySize_areRendered() {
    var stack = minimal();
    stack
        .getSiteBuilder()
        .setWebsocket(true)
        .addRealIpFrom("10.0.0.0/8")
        .setClientMaxBodySize("5m");
    String site = file(stack, "file:nginx-site");

    assertThat(site)
        .contains("map $http_upgrade $pulley_sample_connection_upgrade {")
        .contains(
            "    location /ws/ {\n"
                + "        proxy_pass http://unix:/run/pulley-sample/http.sock;\n"
                + "        proxy_http_version 1.1;\n"
                + "        proxy_set_header Upgrade $http_upgrade;\n"
                + "        proxy_set_header Connection $pulley_sample_connection_upgrade;\n")
        .contains("set_real_ip_from 10.0.0.0/8;\n", "real_ip_header X-Forwarded-For;\n")
        .contains("client_max_body_size 5m;\n");
    assertThat(file(stack, "file:uwsgi-ini"))
        .contains(
            "http-socket = /run/pulley-sample/$(PULLEY_INSTANCE).http.sock\n"
                + "http-websockets = true\n");
    assertThat(handover(stack).getHttpSocketLink()).isEqualTo("/run/pulley-sample/http.sock");
    assertThat(handover(stack).getWebUnitContent())
        .contains("ExecStartPost=-/usr/bin/ln -s %i.http.sock /run/pulley-sample/http.sock\n");
  }

  @Test
  void websocket_atAnotherPath_isProxiedThere_andWithoutWebsocketNothingIs() {
    var stack = minimal();
    stack.getSiteBuilder().setWebsocket(true).setWebsocketPath("/live/");

    assertThat(file(stack, "file:nginx-site")).contains("    location /live/ {\n");
    assertThat(file(minimal(), "file:nginx-site")).doesNotContain("proxy_pass");
    assertThat(file(minimal(), "file:uwsgi-ini")).doesNotContain("http-socket");
  }
}
