// Sends each interaction to its command module, and turns any failure into a
// short apology with an incident id (the stack goes to the log).
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { FEEDBACK_PREFIX } from './answer.js';
import { COMMANDS, type SlashCommand } from './commands/index.js';
import type { BotContext } from './context.js';
import { hashUser, recordFeedback } from './feedback.js';
import { reportIncident } from './incidents.js';
import { langOf, text } from './text.js';

const byName = new Map<string, SlashCommand>(COMMANDS.map((c) => [c.data.name, c]));

export async function routeInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await runCommand(interaction, ctx);
    else if (interaction.isAutocomplete()) await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
    else if (interaction.isButton()) await routeButton(interaction, ctx);
  } catch (error) {
    const where = interaction.isCommand() || interaction.isAutocomplete() ? `/${interaction.commandName}` : `interaction ${interaction.type}`;
    await apologise(interaction, reportIncident(ctx.logger, where, error), ctx);
  }
}

async function runCommand(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const command = byName.get(interaction.commandName);
  if (command) return command.execute(interaction, ctx);
  // A command registered by an older version (global commands linger up to an hour) or by hand.
  await interaction.reply({ content: text(langOf(interaction.locale)).unknownCommand(interaction.commandName), flags: MessageFlags.Ephemeral });
}

async function routeButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const prefix = interaction.customId.split(':')[0];
  if (prefix === FEEDBACK_PREFIX) return recordVote(interaction, ctx);
  await byName.get(prefix)?.button?.(interaction, ctx);
}

async function recordVote(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const t = text(langOf(interaction.locale));
  const answer = await ctx.conversations.find(interaction.message.id);
  if (!answer) {
    await interaction.reply({ content: t.feedbackGone, flags: MessageFlags.Ephemeral });
    return;
  }
  await recordFeedback(ctx.settings.FEEDBACK_FILE, {
    time: new Date().toISOString(),
    vote: interaction.customId.endsWith(':down') ? 'down' : 'up',
    messageId: interaction.message.id,
    user: hashUser(interaction.user.id),
    question: answer.question,
    answer: answer.answer,
    citations: answer.citations,
  });
  await interaction.reply({ content: t.feedbackThanks, flags: MessageFlags.Ephemeral });
}

async function apologise(interaction: Interaction, incident: string, ctx: BotContext): Promise<void> {
  if (!interaction.isRepliable()) return;
  const content = text(langOf(interaction.locale)).apology(incident);
  try {
    if (interaction.deferred) await interaction.editReply({ content, embeds: [], components: [] });
    else if (interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  } catch (error) {
    ctx.logger.error(`could not tell the user about incident ${incident}`, error);
  }
}
