// /stats: articles, chunks, embedder, answer mode, uptime, questions answered.
import { SlashCommandBuilder } from 'discord.js';
import { fitEmbed } from '../format.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';

export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}

export const stats: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('stats')
    .setNameLocalizations({ fr: 'statistiques' })
    .setDescription('Index size, embedder, answer mode, uptime')
    .setDescriptionLocalizations({ fr: 'Taille de l’index, embeddings, mode de réponse, disponibilité' }),

  async execute(interaction, ctx) {
    const t = text(langOf(interaction.locale));
    const s = await ctx.engine.stats();
    const field = (name: string, value: string | number) => ({ name, value: String(value), inline: true });
    const embed = fitEmbed({
      title: t.statsTitle,
      fields: [
        field(t.stats.articles, s.articles),
        field(t.stats.chunks, s.chunks),
        field(t.stats.embedder, s.embedder),
        field(t.stats.answerMode, s.answerMode),
        field(t.stats.uptime, formatUptime(Date.now() - ctx.startedAt)),
        field(t.stats.answered, ctx.counters.questionsAnswered),
      ],
    });
    await interaction.reply({ embeds: [embed] });
  },
};
