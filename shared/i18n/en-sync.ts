// English strings of the sync area, spread into en.ts; zh-CN-sync.ts must match key for key.
export const enSync = {
  'sync.stream.usage': 'usage',
  'sync.stream.outcomes': 'outcome',
  'sync.error.unreachable':
    'Cannot reach the PlantDesk cloud ({{url}}). Records stay on this PC and are sent when the connection is back; check the network, or the cloud address in Settings.',
  'sync.error.server': 'The PlantDesk cloud could not take the {{stream}} records now (HTTP {{status}}). PlantDesk tries again by itself; nothing is lost.',
  'sync.error.badAnswer': 'The PlantDesk cloud sent an answer PlantDesk cannot read ({{path}}). PlantDesk tries again by itself; if this persists, contact PlantDesk support.',
  'sync.error.licences': 'Refreshing the licences failed: {{detail}}. PlantDesk tries again at the next sync.',
  'sync.error.catalogue': 'Refreshing the template catalogue failed: {{detail}}. PlantDesk tries again at the next sync.',
  'sync.error.clock': "The PlantDesk cloud refused this PC's request because the PC's clock is wrong ({{detail}}). Set the date and time in Windows, then choose Sync now.",
  'sync.error.machineRefused': 'The PlantDesk cloud did not accept this PC (HTTP {{status}}: {{detail}}); it may have been deactivated. Check the activation under Settings, Cloud.',
  'sync.error.internal': 'The sync stopped on an unexpected error ({{detail}}). PlantDesk tries again by itself; if this persists, send the log to PlantDesk support.',
  'sync.refused.chainBroken':
    'The cloud refused {{stream}} records {{first}} to {{last}} (batch {{batchId}}): a record was changed or removed on this PC after it was recorded. They are kept here and not sent again; contact PlantDesk support with the batch number.',
  'sync.refused.other':
    'The cloud refused {{stream}} records {{first}} to {{last}} (batch {{batchId}}, HTTP {{status}}: {{detail}}). They are kept here and not sent again by themselves (once more after PlantDesk is updated); when the cause is fixed choose Try again, otherwise contact PlantDesk support with the batch number.',
  'sync.outcome.meanDailyBaseline':
    'Mean daily baseline: {{baselineKwh}} kWh in {{baselineDays}} days ({{baselineStart}} to {{baselineEnd}}) is {{perDayKwh}} kWh a day; × {{measuredDays}} (the days measured, {{measuredStart}} to {{measuredEnd}}) = {{expectedKwh}} kWh expected. Measured: {{measuredKwh}} kWh. Saved: {{expectedKwh}} − {{measuredKwh}} = {{savedKwh}} kWh.',
  'sync.outcome.meanDailyBaselineSum':
    'Sum over the {{instances}} instances of the template, each against its own mean daily baseline (expected → measured: {{parts}}). Baselines: {{baselineKwh}} kWh ({{baselineStart}} to {{baselineEnd}}). Measured {{measuredStart}} to {{measuredEnd}}: {{expectedKwh}} kWh expected, {{measuredKwh}} kWh used. Saved: {{expectedKwh}} − {{measuredKwh}} = {{savedKwh}} kWh.',
  'sync.outcome.unsupportedUnit':
    'The energy saved by {{templateId}} is not stated: its energy counter {{point}} counts in "{{unit}}", and PlantDesk states energy only from a counter in Wh, kWh or MWh. Set the unit of the point {{point}} under Devices; the days since are stated then.',
  'sync.outcome.badPoint':
    'The energy saved by {{templateId}} is not stated: its energy counter {{point}} is missing or is not a counter. Check the point {{point}} under Devices, or reinstall the template.',
  'sync.meter.unsupported':
    'Template {{template}} {{version}} cannot be installed: it declares the meter "{{meter}}", which this version of PlantDesk does not measure (it measures {{supported}}), so its use could not be billed. Update PlantDesk, or ask the publisher for a version without that meter.',
} as const;
