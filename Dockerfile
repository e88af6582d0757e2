# One image for web, worker and beat. Build: docker compose build
# The browser libraries from the npm registry, by the lock file; only their dist file goes on.
FROM node:20-bookworm-slim AS browser-assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/register
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz0b fonts-dejavu-core gettext curl \
      poppler-utils tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng tesseract-ocr-spa \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1000 --home-dir /app register \
 && mkdir -p /var/lib/register && chown register /var/lib/register

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY --chown=register . .
COPY --from=browser-assets /assets/node_modules/cytoscape/dist/cytoscape.min.js \
     node_modules/cytoscape/dist/cytoscape.min.js
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py compilemessages --ignore=.venv

USER register
EXPOSE 8000
CMD ["gunicorn", "register.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s %(L)s"]
