export { renderTemplate, type TemplateRender } from './fromTemplate.ts';
export { type Block, type DocumentSpec, type Marking, markingText } from './model.ts';
export { A4, renderPdf } from './render.ts';
export { TEMPLATE_SEEDS, type TemplateSeed } from './seed.ts';
export {
  type TemplateObject,
  type TemplateProblem,
  type TemplateValue,
  TemplateError,
  checkTemplate,
  compileTemplate,
  fillTemplate,
} from './template.ts';
export {
  type DocumentTemplate,
  ensureDocumentTemplates,
  findTemplate,
  insertTemplate,
  listTemplates,
  renderStoredTemplate,
  updateTemplate,
} from './templates.ts';
