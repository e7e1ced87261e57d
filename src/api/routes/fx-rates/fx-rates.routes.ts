import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FxConversion, FxConvertQuery, FxRate, FxRateKey, FxRateList, FxRateListQuery, FxRatePut } from '../../../contracts/fx-rates.ts';
import { Problem } from '../../../contracts/common.ts';
import { convertAmount, listFxRates, putFxRate } from '../../../services/fx-rates/fx-rates.ts';

/** FX rates: dated units per EUR, and conversion through them. */
export const fxRatesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/fx-rates', {
    schema: { tags: ['fx-rates'], summary: 'List FX rates by currency and date', querystring: FxRateListQuery, response: { 200: FxRateList, 400: Problem } },
    handler: (req) => listFxRates(app.deps, req.actor, req.query),
  });
  app.put('/fx-rates/:currency/:validFrom', {
    schema: { tags: ['fx-rates'], summary: 'Set the rate of a currency from a date', params: FxRateKey, body: FxRatePut, response: { 200: FxRate, 201: FxRate, 400: Problem, 403: Problem } },
    handler: async (req, reply) => {
      const { rate, created } = await putFxRate(app.deps, req.actor, req.params.currency, req.params.validFrom, req.body);
      return reply.code(created ? 201 : 200).send(rate);
    },
  });
  app.get('/fx/convert', {
    schema: { tags: ['fx-rates'], summary: 'Convert an amount between currencies at the rates of a date', querystring: FxConvertQuery, response: { 200: FxConversion, 400: Problem } },
    handler: (req) => convertAmount(app.deps, req.actor, req.query),
  });
};
