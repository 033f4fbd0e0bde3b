import { serveDemoSite } from './server.ts';

/** Serves the demo news site as its own process (DEMO_SITE_PORT, default 8088). */
const port = Number(process.env.DEMO_SITE_PORT ?? 8088);
const site = await serveDemoSite({ port });
console.log(
  JSON.stringify({
    level: 30,
    time: new Date().toISOString(),
    service: 'demo-site',
    url: site.url,
    msg: 'demo site listening',
  }),
);
const stop = () => {
  void site.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
