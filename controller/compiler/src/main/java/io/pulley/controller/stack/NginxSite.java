package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackTls;
import java.util.List;

/**
 * The nginx site of the stack, /etc/nginx/sites-enabled/NAME.conf: plain HTTP, or HTTPS with
 * Mozilla's intermediate TLS settings and a redirect from HTTP; with {@code site.cache}, nginx's
 * response cache ({@link NginxCache}). Stateless; every value in it was validated by the stack
 * validator, and defaults are filled in.
 */
final class NginxSite {

  /** The port an https:// URL implies, left out of the redirect. */
  private static final int IMPLIED_HTTPS_PORT = 443;

  // Mozilla intermediate configuration: TLS 1.2 ciphers with forward secrecy, TLS 1.3 as is.
  private static final String CIPHERS =
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
          + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
          + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

  private NginxSite() {}

  static String render(StackLayout layout, Stack stack) {
    StackSite site = stack.getSite();
    String prefix = layout.nginxPrefix();
    StringBuilder conf = new StringBuilder(layout.header("#"));
    conf.append(
        """
        log_format %1$s_pulley '$remote_addr - $remote_user [$time_local] "$request" '
            '$status $body_bytes_sent "$http_referer" "$http_user_agent" '
            'upstream_status=$upstream_status request_time=$request_time '
            'upstream_response_time=$upstream_response_time version=$upstream_http_x_version '
            'msec=$msec connection=$pid:$connection:$connection_requests%2$s';
        """
            .formatted(prefix, site.hasCache() ? " cache=$upstream_cache_status" : ""));
    if (site.hasCache()) {
      conf.append(NginxCache.httpLevel(layout, stack));
    }
    if (site.getWebsocket()) {
      conf.append(
          """

          map $http_upgrade $%s_connection_upgrade {
              default upgrade;
              '' close;
          }
          """
              .formatted(prefix));
    }
    if (site.hasTls() && site.getTls().hasAcme()) {
      // HTTP until the certificate is there; then the HTTPS server's own file, and redirects.
      conf.append("\nserver {\n")
          .append(listen(site.getHttpPort(), ""))
          .append(body(layout, stack, redirect(site, StackAcmeCertificate.siteFile(layout))));
    } else if (site.hasTls()) {
      conf.append(redirectServer(site)).append(httpsServer(layout, stack));
    } else {
      conf.append("\nserver {\n")
          .append(listen(site.getHttpPort(), ""))
          .append(body(layout, stack, ""));
    }
    return conf.toString();
  }

  /**
   * The HTTPS server of a site whose certificate comes through ACME, in a file of its own that the
   * agent writes once the certificate exists; it uses the log format of the site's file, which
   * nginx reads first (NAME.conf sorts before NAME.tls.conf).
   */
  static String acmeHttpsServer(StackLayout layout, Stack stack) {
    return layout.header("#") + httpsServer(layout, stack);
  }

  /** The lines that send a location's requests to HTTPS once {@code file} (its server) exists. */
  private static String redirect(StackSite site, String file) {
    int https = site.getTls().getPort();
    return "        if (-f %s) {\n            return 301 https://$host%s$request_uri;\n        }\n"
        .formatted(file, https == IMPLIED_HTTPS_PORT ? "" : ":" + https);
  }

  private static String redirectServer(StackSite site) {
    int https = site.getTls().getPort();
    return """

        server {
        %s    server_name %s;

            location /.well-known/acme-challenge/ {
                root /var/www/html;
            }

            location / {
                return 301 https://$host%s$request_uri;
            }
        }
        """
        .formatted(
            listen(site.getHttpPort(), ""),
            String.join(" ", site.getDomainsList()),
            https == IMPLIED_HTTPS_PORT ? "" : ":" + https);
  }

  private static String httpsServer(StackLayout layout, Stack stack) {
    StackTls tls = stack.getSite().getTls();
    StringBuilder server = new StringBuilder("\nserver {\n");
    server.append(listen(tls.getPort(), " ssl http2"));
    server.append(
        """
            ssl_certificate %s;
            ssl_certificate_key %s;
            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_ciphers %s;
            ssl_prefer_server_ciphers off;
            ssl_session_timeout 1d;
            ssl_session_cache shared:%s_tls:10m;
            ssl_session_tickets off;
        """
            .formatted(tls.getCertificate(), tls.getKey(), CIPHERS, layout.nginxPrefix()));
    if (tls.getHstsMaxAge() >= 0) {
      server.append(
          "    add_header Strict-Transport-Security \"max-age=%d\" always;\n"
              .formatted(tls.getHstsMaxAge()));
    }
    return server.append(body(layout, stack, "")).toString();
  }

  private static String listen(int port, String options) {
    return "    listen %1$d%2$s;\n    listen [::]:%1$d%2$s;\n".formatted(port, options);
  }

  /**
   * Everything after the listen and TLS lines: names, logs, limits, locations; {@code redirect}
   * (lines of a location, or empty) goes first in each location that serves the site.
   */
  private static String body(StackLayout layout, Stack stack, String redirect) {
    StackSite site = stack.getSite();
    String name = layout.name();
    StringBuilder body = new StringBuilder();
    body.append(
        """
            server_name %1$s;

            access_log /var/log/nginx/%2$s.access.log %3$s_pulley;
            error_log /var/log/nginx/%2$s.error.log;
            client_max_body_size %4$s;
        """
            .formatted(
                String.join(" ", site.getDomainsList()),
                name,
                layout.nginxPrefix(),
                site.getClientMaxBodySize()));
    for (String trusted : site.getRealIpFromList()) {
      body.append("    set_real_ip_from ").append(trusted).append(";\n");
    }
    if (site.getRealIpFromCount() > 0) {
      body.append("    real_ip_header X-Forwarded-For;\n    real_ip_recursive on;\n");
    }
    boolean password = site.getHtpasswdCount() > 0;
    if (password) {
      body.append(
          """
              auth_basic "%s";
              auth_basic_user_file %s;
          """
              .formatted(name, layout.htpasswdFile()));
    }
    if (site.hasCache()) {
      body.append(NginxCache.statusHeader());
    }
    body.append(
        """

            location = /nginx-status {
                stub_status;
                allow 127.0.0.1;
                allow ::1;
                deny all;
                access_log off;
            }
        """);
    if (!redirect.isEmpty()) {
      // Let's Encrypt reads the challenge over HTTP, from the webroot certbot writes it to.
      body.append(
          """

              location /.well-known/acme-challenge/ {
                  root %s;
              }
          """
              .formatted(StackAcmeCertificate.WEBROOT));
    }
    if (password || site.hasCache() || !redirect.isEmpty()) {
      // Its own location: never behind the password, never answered from the cache (the check
      // after a switch must reach the new release), never redirected to HTTPS.
      body.append(
          """

              location = %s {
          %s%s    }
          """
              .formatted(
                  healthLocation(stack.getHealth().getPath()),
                  password ? "        auth_basic off;\n" : "",
                  application(layout)));
    }
    if (!site.getStaticDir().isEmpty()) {
      body.append(
          staticFiles(site.getStaticUrl(), layout.current() + "/" + site.getStaticDir(), redirect));
    } else if (DjangoSteps.servesStatic(stack)) {
      body.append(staticFiles(site.getStaticUrl(), DjangoSteps.staticRoot(layout), redirect));
    }
    if (site.getWebsocket()) {
      body.append(websocket(layout, site, redirect));
    }
    List<String> cached = site.hasCache() ? site.getCache().getPathsList() : List.of();
    for (String path : cached) {
      if (!path.equals("/")) {
        body.append("\n    location ").append(path).append(" {\n");
        body.append(redirect)
            .append(application(layout))
            .append(NginxCache.location(layout, stack))
            .append("    }\n");
      }
    }
    body.append("\n    location / {\n").append(redirect).append(application(layout));
    if (cached.contains("/")) {
      body.append(NginxCache.location(layout, stack));
    }
    body.append("    }\n}\n");
    return body.toString();
  }

  /** An exact location matches the path alone: nginx compares it without the query string. */
  private static String healthLocation(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static String staticFiles(String url, String directory, String redirect) {
    return """

        location %s {
    %s        alias %s/;
        }
    """
        .formatted(url, redirect, directory);
  }

  /** The lines of a location that hands requests to uWSGI. */
  private static String application(StackLayout layout) {
    return "        uwsgi_pass unix:" + layout.socket() + ";\n        include uwsgi_params;\n";
  }

  /**
   * WebSocket endpoints, proxied over HTTP/1.1 to uWSGI's HTTP socket with the handshake's headers;
   * the read timeout lets quiet connections stay open for an hour.
   */
  private static String websocket(StackLayout layout, StackSite site, String redirect) {
    return """

            location %1$s {
        %4$s        proxy_pass http://unix:%2$s;
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection $%3$s_connection_upgrade;
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
                proxy_read_timeout 1h;
            }
        """
        .formatted(site.getWebsocketPath(), layout.httpSocket(), layout.nginxPrefix(), redirect);
  }
}
