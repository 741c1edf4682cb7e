// Answering one question on any surface (slash command or message): ask the
// engine, show streamed text as it comes, then the final answer split to
// Discord's limits with its sources and 👍/👎 buttons, remembered for follow-ups.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, type ChatInputCommandInteraction, type Message } from 'discord.js';
import { EmptyQuestionError } from '../core/engine.js';
import type { Lang, Turn } from '../types.js';
import type { BotContext } from './context.js';
import { answerMessages, partialMessage } from './format.js';
import { text } from './text.js';
import { ThrottledEditor } from './throttle.js';

export const FEEDBACK_PREFIX = 'feedback';

/** Where an answer goes: a deferred interaction or a reply to a message. */
export interface AnswerTarget {
  /** Shows the text so far (streaming). */
  progress(content: string): Promise<unknown>;
  /** Sends the final messages, the last one with `components`; returns the ids of the messages sent. */
  finish(parts: string[], components: ActionRowBuilder<ButtonBuilder>[]): Promise<string[]>;
}

export function feedbackButtons(): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`${FEEDBACK_PREFIX}:up`).setEmoji('👍').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(`${FEEDBACK_PREFIX}:down`).setEmoji('👎').setStyle(ButtonStyle.Secondary),
  );
}

/** `lang` is the asker's language, for the bot's own words when there is no question to detect it from. */
export async function answerQuestion(ctx: BotContext, target: AnswerTarget, question: string, history: Turn[], lang: Lang): Promise<void> {
  const editor = new ThrottledEditor(
    (content) => target.progress(content),
    (error) => ctx.logger.warn(`a progressive edit failed: ${(error as Error).message}`),
  );
  let result;
  try {
    result = await ctx.engine.ask(question, { history, onPartial: (soFar) => editor.push(partialMessage(soFar)) });
  } catch (error) {
    await editor.stop();
    if (!(error instanceof EmptyQuestionError)) throw error;
    await target.finish([text(lang).emptyQuestion], []);
    return;
  }
  await editor.stop();
  const record = { question: result.question, answer: result.answer, citations: result.citations, history };
  const ids = await ctx.conversations.rememberWhenSent(target.finish(answerMessages(result), [feedbackButtons()]), record);
  ctx.counters.questionsAnswered++;
  ctx.logger.debug(`answered${result.refused ? ' (not found)' : ''}: engine ${result.timings.totalMs} ms, ${ids.length} message(s)`);
}

export function interactionTarget(interaction: ChatInputCommandInteraction, ephemeral: boolean): AnswerTarget {
  return {
    progress: (content) => interaction.editReply({ content }),
    async finish(parts, components) {
      const [first, ...rest] = parts;
      const ids = [(await interaction.editReply({ content: first, embeds: [], components: rest.length ? [] : components })).id];
      for (const [i, content] of rest.entries()) {
        const last = i === rest.length - 1;
        const sent = await interaction.followUp({ content, components: last ? components : [], ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
        ids.push(sent.id);
      }
      return ids;
    },
  };
}

const TYPING_REFRESH_MS = 8_000;

/** Replies to `message` (in its channel or thread), typing until the answer is sent. */
export function messageTarget(message: Message): AnswerTarget & { done(): void } {
  let first: Message | undefined;
  const channel = message.channel;
  const typing = () => ('sendTyping' in channel ? channel.sendTyping().catch(() => undefined) : undefined);
  void typing();
  const timer = setInterval(typing, TYPING_REFRESH_MS);
  return {
    async progress(content) {
      if (first) await first.edit({ content });
      else first = await message.reply({ content });
    },
    async finish(parts, components) {
      clearInterval(timer);
      const ids: string[] = [];
      for (const [i, content] of parts.entries()) {
        const withComponents = i === parts.length - 1 ? components : [];
        const sent = i === 0 && first ? await first.edit({ content, components: withComponents }) : await message.reply({ content, components: withComponents });
        ids.push(sent.id);
      }
      return ids;
    },
    done: () => clearInterval(timer),
  };
}
