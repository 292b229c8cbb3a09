# Uppsikt: one image for the bot (Slack and/or Teams), its scheduler and the operator's tools.
FROM python:3.11-slim-bookworm

# WeasyPrint's system libraries, fonts with å, ä and ö, and the PostgreSQL client tools for
# `uppsikt db backup`/`restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
      fonts-dejavu-core fonts-dejavu-extra postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --home-dir /var/lib/uppsikt --create-home uppsikt
WORKDIR /opt/uppsikt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY storage ./storage
COPY report_templates ./report_templates
RUN pip install --no-cache-dir . && rm -rf /root/.cache

USER uppsikt
WORKDIR /var/lib/uppsikt
ENV UPPSIKT_HOST=0.0.0.0 \
    TEAMS_HOST=0.0.0.0 \
    UPPSIKT_HEALTH_PORT=8080 \
    UPPSIKT_LOG_FORMAT=json \
    DATABASE_URL=sqlite:////var/lib/uppsikt/uppsikt.db
VOLUME ["/var/lib/uppsikt"]
EXPOSE 3000 3978 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('UPPSIKT_HEALTH_PORT') or os.environ.get('UPPSIKT_PORT', '3000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["uppsikt"]
CMD ["run"]
