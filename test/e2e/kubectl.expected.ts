/**
 * What kubectl prints for the Widget fixture, line by line (tabs and trailing
 * spaces are kubectl's own). Where releases differ, the function takes the minor version.
 */

const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** `api-resources -o wide --api-group=e2e.example.com` */
export const API_RESOURCES_WIDE = lines(
  'NAME      SHORTNAMES   APIVERSION           NAMESPACED   KIND     VERBS                                                        CATEGORIES',
  'widgets   wd           e2e.example.com/v1   true         Widget   create,delete,deletecollection,get,list,patch,update,watch   all,toys',
);

const HEADER_V3 = ['GROUP:      e2e.example.com', 'KIND:       Widget', 'VERSION:    v1', ''];

export const EXPLAIN_WIDGETS = lines(
  ...HEADER_V3,
  'DESCRIPTION:',
  '    A Widget is a small thing made of parts.',
  '    ',
  'FIELDS:',
  '  apiVersion\t<string>',
  '    The versioned schema of this representation of an object.',
  '',
  '  kind\t<string>',
  '    The REST resource this object represents, in CamelCase.',
  '',
  '  metadata\t<Object>',
  "    Standard object's metadata.",
  '',
  '  spec\t<Object>',
  '    What the widget should be.',
  '',
  '  status\t<Object>',
  '    What the widget is.',
  '',
  '',
);

/** Since 1.30 explain lists enum values and leaves a blank line more after FIELD. */
const explainsEnums = (minor: number) => minor >= 30;

function explainField(minor: number, field: string, description: string, fields: string[][]): string {
  return lines(
    ...HEADER_V3,
    field,
    ...(explainsEnums(minor) ? ['', ''] : ['']),
    'DESCRIPTION:',
    `    ${description}`,
    '    ',
    'FIELDS:',
    ...fields.flatMap(([declaration, enumLine, text]) => [declaration, ...(enumLine && explainsEnums(minor) ? [enumLine] : []), `    ${text}`, '']),
    '',
  );
}

export function explainWidgetSpec(minor: number): string {
  return explainField(minor, 'FIELD: spec <Object>', 'What the widget should be.', [
    ['  color\t<string>', '  enum: red, green, blue', 'What colour the widget is painted.'],
    ['  parts\t<[]Object>', '', 'The parts the widget is made of, merged by name.'],
    ['  replicas\t<integer>', '', 'How many copies of the widget are wanted.'],
    ['  size\t<integer>', '', 'How big the widget is.'],
  ]);
}

export function explainWidgetParts(minor: number): string {
  return explainField(minor, 'FIELD: parts <[]Object>', 'The parts the widget is made of, merged by name.', [
    ['  name\t<string> -required-', '', 'Identifies the part within the widget.'],
    ['  value\t<string>', '', '<no description>'],
  ]);
}

export function explainWidgetConditions(minor: number): string {
  return explainField(minor, 'FIELD: conditions <[]Object>', 'The latest observations of the widget.', [
    ['  lastTransitionTime\t<string>', '', 'When the condition last changed status.'],
    ['  message\t<string>', '', 'Human readable details of the last transition.'],
    ['  observedGeneration\t<integer>', '', 'The generation the condition was set for.'],
    ['  reason\t<string>', '', 'Programmatic identifier for the last transition, in CamelCase.'],
    ['  status\t<string> -required-', '  enum: True, False, Unknown', 'Status of the condition.'],
    ['  type\t<string> -required-', '', 'Type of the condition, in CamelCase.'],
  ]);
}

/** `explain --output=plaintext-openapiv2`: the same in every release. */
export const EXPLAIN_WIDGET_SPEC_V2 = lines(
  'KIND:     Widget',
  'VERSION:  e2e.example.com/v1',
  '',
  'RESOURCE: spec <Object>',
  '',
  'DESCRIPTION:',
  '     What the widget should be.',
  '',
  'FIELDS:',
  '   color\t<string>',
  '     What colour the widget is painted.',
  '',
  '   parts\t<[]Object>',
  '     The parts the widget is made of, merged by name.',
  '',
  '   replicas\t<integer>',
  '     How many copies of the widget are wanted.',
  '',
  '   size\t<integer>',
  '     How big the widget is.',
  '',
);
