// /article title: one article's metadata, link and opening; titles autocomplete.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { foldForMatch } from '../match.js';
import { fitEmbed, truncate } from '../format.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';

const OPENING_CHARS = 1_200;
const MAX_CHOICES = 25;

export const article: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('article')
    .setNameLocalizations({ fr: 'article' })
    .setDescription('Show one indexed article')
    .setDescriptionLocalizations({ fr: 'Afficher un article indexé' })
    .addStringOption((o) =>
      o
        .setName('title')
        .setNameLocalizations({ fr: 'titre' })
        .setDescription('Start typing a title')
        .setDescriptionLocalizations({ fr: 'Commencez à taper un titre' })
        .setRequired(true)
        .setAutocomplete(true),
    ),

  async autocomplete(interaction, ctx) {
    const typed = foldForMatch(interaction.options.getFocused());
    const articles = await ctx.engine.listArticles();
    const matching = articles.filter((a) => foldForMatch(`${a.title} ${a.source}`).includes(typed));
    await interaction.respond(matching.slice(0, MAX_CHOICES).map((a) => ({ name: truncate(a.title, 100), value: a.id.slice(0, 100) })));
  },

  async execute(interaction, ctx) {
    const lang = langOf(interaction.locale);
    const wanted = interaction.options.getString('title', true);
    const articles = await ctx.engine.listArticles();
    const folded = foldForMatch(wanted);
    const meta =
      articles.find((a) => a.id === wanted) ??
      articles.find((a) => foldForMatch(a.title) === folded) ??
      articles.find((a) => folded.length >= 3 && foldForMatch(a.title).includes(folded));
    const found = meta && (await ctx.engine.getArticle(meta.id));
    if (!found) {
      await interaction.reply({ content: text(lang).articleNotFound(truncate(wanted, 100)), flags: MessageFlags.Ephemeral });
      return;
    }
    const labels = text(lang).articleFields;
    const embed = fitEmbed({
      title: found.title,
      ...(found.url ? { url: found.url } : {}),
      description: truncate(found.text, OPENING_CHARS),
      fields: [
        { name: labels.source, value: found.source || '—', inline: true },
        { name: labels.date, value: found.date || '—', inline: true },
        { name: labels.lang, value: found.lang, inline: true },
        ...(found.author ? [{ name: labels.author, value: found.author, inline: true }] : []),
      ],
    });
    await interaction.reply({ embeds: [embed], ...(found.url ? { content: `<${found.url}>` } : {}) });
  },
};
