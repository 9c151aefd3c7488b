// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectionSettingsWidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>

namespace Natter::Ui {

using Core::AccountConfig;
using ProxyType = AccountConfig::ProxyType;

namespace {

constexpr int TorPort = 9050;
const QString TorHost = QStringLiteral("127.0.0.1");

// Tor on this computer takes no user name or password; the other proxies may.
bool takesCredentials(ProxyType type)
{
    return type == ProxyType::Socks5 || type == ProxyType::HttpConnect;
}

QLineEdit *portEdit(QWidget *parent, const char *name)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setValidator(new QIntValidator(1, 65535, edit));
    edit->setMaximumWidth(edit->fontMetrics().horizontalAdvance(QStringLiteral("0000000000")));
    return edit;
}

} // namespace

ConnectionSettingsWidget::ConnectionSettingsWidget(QWidget *parent)
    : QWidget(parent)
    , m_hostEdit(new QLineEdit(this))
    , m_portEdit(portEdit(this, "portEdit"))
    , m_directTlsCheck(new QCheckBox(tr("Direct TLS (the port speaks TLS from the start)"), this))
    , m_proxyCombo(new QComboBox(this))
    , m_proxyHostEdit(new QLineEdit(this))
    , m_proxyPortEdit(portEdit(this, "proxyPortEdit"))
    , m_proxyUserEdit(new QLineEdit(this))
    , m_proxyPasswordEdit(new QLineEdit(this))
    , m_proxyNote(new QLabel(this))
{
    m_hostEdit->setObjectName(QStringLiteral("hostEdit"));
    m_directTlsCheck->setObjectName(QStringLiteral("directTlsCheck"));
    m_proxyCombo->setObjectName(QStringLiteral("proxyCombo"));
    m_proxyHostEdit->setObjectName(QStringLiteral("proxyHostEdit"));
    m_proxyUserEdit->setObjectName(QStringLiteral("proxyUserEdit"));
    m_proxyPasswordEdit->setObjectName(QStringLiteral("proxyPasswordEdit"));
    m_proxyNote->setObjectName(QStringLiteral("proxyNote"));

    m_hostEdit->setPlaceholderText(tr("found automatically"));
    m_portEdit->setPlaceholderText(tr("default"));
    m_proxyCombo->addItem(tr("None (direct connection)"), int(ProxyType::None));
    m_proxyCombo->addItem(tr("Tor (SOCKS5 on this computer)"), int(ProxyType::Tor));
    m_proxyCombo->addItem(tr("SOCKS5"), int(ProxyType::Socks5));
    m_proxyCombo->addItem(tr("HTTP (CONNECT)"), int(ProxyType::HttpConnect));
    m_proxyUserEdit->setPlaceholderText(tr("none"));
    m_proxyPasswordEdit->setEchoMode(QLineEdit::Password);
    // Lines of its own rather than word wrap: a wrapped label in a form gets too little height.
    m_proxyNote->setTextFormat(Qt::PlainText);
    m_proxyNote->setText(tr("Everything goes through the proxy, which also looks up\n"
                            "the server's name: no DNS question leaves this computer,\n"
                            "and .onion servers work through Tor. Calls are off, and\n"
                            "files to contacts travel through the server."));

    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->addRow(tr("&Host:"), m_hostEdit);
    m_form->addRow(tr("P&ort:"), m_portEdit);
    m_form->addRow(QString(), m_directTlsCheck);
    m_form->addRow(tr("Pro&xy:"), m_proxyCombo);
    m_form->addRow(tr("Proxy ho&st:"), m_proxyHostEdit);
    m_form->addRow(tr("Proxy po&rt:"), m_proxyPortEdit);
    m_form->addRow(tr("Proxy &user:"), m_proxyUserEdit);
    m_form->addRow(tr("Proxy pass&word:"), m_proxyPasswordEdit);
    m_form->addRow(QString(), m_proxyNote);

    connect(m_proxyCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (ProxyType(m_proxyCombo->currentData().toInt()) == ProxyType::Tor) {
            m_proxyHostEdit->setText(TorHost);
            m_proxyPortEdit->setText(QString::number(TorPort));
        }
        showProxyFields();
        // Rows came or went: the dialog takes the height they need (a wrapped note included).
        if (isVisible())
            window()->adjustSize();
    });
    showProxyFields();
}

void ConnectionSettingsWidget::showProxyFields()
{
    const auto type = ProxyType(m_proxyCombo->currentData().toInt());
    m_form->setRowVisible(m_proxyHostEdit, type != ProxyType::None);
    m_form->setRowVisible(m_proxyPortEdit, type != ProxyType::None);
    m_form->setRowVisible(m_proxyNote, type != ProxyType::None);
    const bool credentials = takesCredentials(type);
    m_form->setRowVisible(m_proxyUserEdit, credentials);
    m_form->setRowVisible(m_proxyPasswordEdit, credentials);
}

void ConnectionSettingsWidget::load(const AccountConfig &config, bool hasProxyPassword)
{
    m_hostEdit->setText(config.host);
    m_portEdit->setText(config.port > 0 ? QString::number(config.port) : QString());
    m_directTlsCheck->setChecked(config.tlsMode == AccountConfig::TlsMode::DirectTls);
    m_proxyCombo->setCurrentIndex(m_proxyCombo->findData(int(config.proxyType)));
    m_proxyHostEdit->setText(config.proxyHost);
    m_proxyPortEdit->setText(config.proxyPort > 0 ? QString::number(config.proxyPort) : QString());
    m_proxyUserEdit->setText(config.proxyUser);
    m_proxyPasswordEdit->clear();
    m_proxyPasswordEdit->setPlaceholderText(hasProxyPassword ? tr("unchanged") : tr("none"));
    showProxyFields();
}

void ConnectionSettingsWidget::apply(AccountConfig &config) const
{
    config.host = m_hostEdit->text().trimmed();
    config.port = config.host.isEmpty() ? 0 : portOf(m_portEdit).value_or(0);
    config.proxyType = ProxyType(m_proxyCombo->currentData().toInt());
    const bool proxied = config.usesProxy();
    // Behind a proxy the host is always explicit (the JID's domain by default), so direct TLS needs no host.
    config.tlsMode = m_directTlsCheck->isChecked() && (!config.host.isEmpty() || proxied)
                         ? AccountConfig::TlsMode::DirectTls
                         : AccountConfig::TlsMode::StartTls;
    config.proxyHost = proxied ? m_proxyHostEdit->text().trimmed() : QString();
    config.proxyPort = proxied ? portOf(m_proxyPortEdit).value_or(0) : 0;
    config.proxyUser = takesCredentials(config.proxyType) ? m_proxyUserEdit->text().trimmed() : QString();
}

std::optional<QString> ConnectionSettingsWidget::proxyPassword() const
{
    // A password typed before choosing Tor stays unused.
    if (!takesCredentials(ProxyType(m_proxyCombo->currentData().toInt())) ||
        m_proxyPasswordEdit->text().isEmpty())
        return std::nullopt;
    return m_proxyPasswordEdit->text();
}

std::optional<int> ConnectionSettingsWidget::portOf(const QLineEdit *edit)
{
    bool ok = false;
    const int port = edit->text().trimmed().toInt(&ok);
    return ok ? std::optional<int>(port) : std::nullopt;
}

std::optional<ConnectionSettingsWidget::Problem> ConnectionSettingsWidget::problem() const
{
    const auto outOfRange = [](const QLineEdit *edit) {
        const auto port = portOf(edit);
        return !edit->text().trimmed().isEmpty() && (!port || *port < 1 || *port > 65535);
    };
    if (outOfRange(m_portEdit))
        return Problem{tr("The port is a number from 1 to 65535."), m_portEdit};
    if (!m_portEdit->text().trimmed().isEmpty() && m_hostEdit->text().trimmed().isEmpty())
        return Problem{tr("Enter the host as well when you enter a port."), m_hostEdit};
    if (ProxyType(m_proxyCombo->currentData().toInt()) == ProxyType::None)
        return std::nullopt;
    if (m_proxyHostEdit->text().trimmed().isEmpty())
        return Problem{tr("Enter the proxy's host."), m_proxyHostEdit};
    if (m_proxyPortEdit->text().trimmed().isEmpty() || outOfRange(m_proxyPortEdit))
        return Problem{tr("The proxy's port is a number from 1 to 65535."), m_proxyPortEdit};
    return std::nullopt;
}

} // namespace Natter::Ui
