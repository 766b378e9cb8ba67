/** Message content and function-call output -> canonical parts. */
import type { ImagePart, TextPart } from '../canonical.js';
import { failRequest } from '../shared/validate.js';
import { parseDataUrl } from '../openai/request-decode.js';
import { refuse } from './refuse.js';
import type { ContentPart } from './schemas.js';

type Role = 'user' | 'assistant' | 'system' | 'developer';

function image(p: Extract<ContentPart, { type: 'input_image' }>, path: string): ImagePart {
  // `detail` is a rendering hint with no canonical counterpart (as Chat Completions' image_url.detail).
  if (p.file_id != null)
    refuse(`${path}.file_id`, 'uploaded files live at OpenAI; send the image as image_url (a URL or a data: URL)');
  if (p.image_url == null) return failRequest(`${path}.image_url: required`, `${path}.image_url`);
  return { type: 'image', source: parseDataUrl(p.image_url) };
}

const OTHER_WHY: Record<string, string> = {
  input_file: 'file inputs are not supported by the modelpin gateway',
  input_audio: 'audio inputs are not supported by the modelpin gateway',
  refusal: 'refusal parts cannot be translated to other providers',
};

/** One content part of a message with this role; `path` names it in errors (`input[2].content[0]`). */
export function contentPart(p: ContentPart, role: Role, path: string): TextPart | ImagePart {
  switch (p.type) {
    case 'input_text':
      return { type: 'text', text: p.text };
    case 'output_text':
      if (role !== 'assistant')
        refuse(`${path}.type`, `output_text parts belong to assistant messages, not ${role} messages`);
      return { type: 'text', text: p.text };
    case 'input_image':
      if (role !== 'user') refuse(`${path}.type`, `images can only be sent in user messages`);
      return image(p, path);
    default:
      return refuse(`${path}.type`, OTHER_WHY[p.type] ?? `${p.type} parts are not supported`);
  }
}

/** `content` as a string or a part list -> canonical parts. */
export function messageContent(content: string | ContentPart[], role: Role, path: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((p, j) => contentPart(p, role, `${path}.content[${j}]`));
}

/** System and developer messages carry text only: their parts joined. */
export function systemText(content: string | ContentPart[], role: Role, path: string): string {
  return messageContent(content, role, path)
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('');
}
