# One image for the project's processes (worker, sandboxes, gateway, setup); docker-compose.yml
# picks the command. tsx runs the TypeScript directly, as `npm start` does.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
CMD ["npm", "run", "worker"]
