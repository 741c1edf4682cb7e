// Questions asked by message: a mention of the bot, any DM, or a reply to one
// of its answers (a follow-up: the earlier turns inform retrieval). The answer
// is a reply, in the same channel or thread.
import type { Message } from 'discord.js';
import { detectLanguage } from '../ingest/language.js';
import { answerQuestion, messageTarget } from './answer.js';
import type { BotContext } from './context.js';
import { reportIncident } from './incidents.js';
import { text } from './text.js';

function questionOf(message: Message, botId: string): string {
  return message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').trim();
}

export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  const botId = message.client.user.id;
  if (message.author.bot || message.author.id === botId) return;
  const parent = await ctx.conversations.find(message.reference?.messageId);
  const addressed = !message.inGuild() || message.mentions.users.has(botId) || parent !== undefined;
  if (!addressed) return;

  const question = questionOf(message, botId);
  const lang = question ? detectLanguage(question) : 'fr';
  const wait = ctx.limiter.take(message.author.id);
  // A message cannot be answered privately: the notice is a short reply.
  if (wait) {
    await safeReply(message, text(lang).rateLimited(ctx.settings.RATE_LIMIT_PER_MINUTE, wait), ctx);
    return;
  }
  if (!question) {
    await safeReply(message, text(lang).emptyQuestion, ctx);
    return;
  }

  const target = messageTarget(message);
  try {
    await answerQuestion(ctx, target, question, parent ? ctx.conversations.historyAfter(parent) : [], lang);
  } catch (error) {
    await safeReply(message, text(lang).apology(reportIncident(ctx.logger, 'a message question', error)), ctx);
  } finally {
    target.done();
  }
}

async function safeReply(message: Message, content: string, ctx: BotContext): Promise<void> {
  try {
    await message.reply({ content });
  } catch (error) {
    reportIncident(ctx.logger, 'replying to a message', error);
  }
}
