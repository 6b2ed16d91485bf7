# One image for the project's processes (worker, sandboxes, gateway, the setup and certs jobs);
# docker-compose.yml picks the command. tsx runs the TypeScript directly, as `npm start` does.
FROM node:20-bookworm-slim
# openssl: the certs job makes the cluster's CA and certificates with it (scripts/cluster/certs.ts).
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# `npm run sandbox` keeps its users in .sandbox-state/ (sandbox/config.ts, DEFAULT_STATE_FILE) and
# runs as `node`, which cannot write /app. The directory is made here, owned by `node`: a fresh
# named volume mounted over it (docker-compose.yml, `sandbox-state`) takes that ownership.
RUN mkdir -p /app/.sandbox-state && chown node:node /app/.sandbox-state
USER node
CMD ["npm", "run", "worker"]
