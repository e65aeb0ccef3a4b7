# Not built in this project's CI (no Docker engine there): check it in your environment.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-ops-page.mjs ./scripts/
RUN npx tsc -p tsconfig.build.json && node scripts/build-ops-page.mjs && npm prune --omit=dev

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY drizzle ./drizzle
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
