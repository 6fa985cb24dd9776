// English strings of the templates area, spread into en.ts; zh-CN-templates.ts must match key for key.
export const enTemplates = {
  'error.templateReportsRefused':
    'Template {{template}} {{version}} contains report layouts, and PlantDesk has no reports feature to install them into. Nothing was installed for "{{instance}}"; ask the publisher for a version without reports.',
  'error.templateAgentsRefused':
    'Template {{template}} {{version}} contains agents, which would be program code; a template may carry declarative content only (register maps, tags, KPIs, dashboards, alarm rules, translations). Nothing was installed for "{{instance}}"; ask the publisher for a version without agents.',
  'error.templateTranslationMissing':
    'Template {{template}} {{version}}, instance "{{instance}}": the file {{file}} uses the text {{key}}, which the package\'s translations do not define in either language. Nothing was changed; contact the template publisher.',
  'error.templateTagDeviceMissing':
    'Template {{template}} {{version}}, instance "{{instance}}": tags are to be added to the device {{device}}, which does not exist. Nothing was changed; choose an existing device for the template, or add the device first.',
} as const;
