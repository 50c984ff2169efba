# odbadge as a container: the coordinator (`audit --distributed`) and the workers (`worker`) of a distributed audit,
# or a plain audit. The image holds the built package only; the history store lives in PostgreSQL (or a volume).
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm pack --pack-destination /tmp && mv /tmp/odbadge-*.tgz /tmp/odbadge.tgz

FROM node:24-slim
COPY --from=build /tmp/odbadge.tgz /tmp/odbadge.tgz
RUN npm install --global --omit=dev /tmp/odbadge.tgz && rm /tmp/odbadge.tgz
# Not root: odbadge needs nothing but the network and its output directory.
USER node
WORKDIR /home/node
ENTRYPOINT ["odbadge"]
CMD ["--help"]
