export { generateDemoScenario, planDemoScenario } from './generate-demo-scenario.ts';
export type { DemoScenario, DemoChunk, DemoOptions, DemoMeeting, DemoRequirement, DemoPledge, DemoTranche, DemoDelivery, DemoStockReport } from './generate-demo-scenario.ts';
export { loadDemoScenario, demoSummary } from './load-demo-scenario.ts';
export type { LoadDemoOptions, LoadDemoResult, DemoProgress, DemoCounts } from './load-demo-scenario.ts';
export { SCENARIO_TODAY } from './scenario-profile.ts';
